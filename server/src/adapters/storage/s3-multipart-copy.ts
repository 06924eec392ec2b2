import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';

export interface MultipartCopyInput {
  Bucket: string;
  /** Target key. */
  Key: string;
  /** Encoded `bucket/key` of the source. */
  CopySource: string;
  size: number;
  partSize: number;
  ContentType?: string;
  /** Ranges copied at once (default PARTS_IN_FLIGHT). */
  inFlight?: number;
}

const PARTS_IN_FLIGHT = 4;

/**
 * Server-side copy of an object too large for CopyObject: UploadPartCopy by byte range,
 * a few parts at a time. The target appears only when the upload completes; on failure the
 * upload is aborted so no parts linger.
 */
export async function multipartCopy(
  client: S3Client,
  input: MultipartCopyInput,
  ifNoneMatch: boolean,
): Promise<void> {
  const { Bucket, Key, CopySource, size, partSize, ContentType, inFlight = PARTS_IN_FLIGHT } = input;
  const created = await client.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType }));
  const UploadId = created.UploadId!;
  try {
    const ranges: { start: number; end: number; partNumber: number }[] = [];
    for (let start = 0, partNumber = 1; start < size; start += partSize, partNumber++) {
      ranges.push({ start, end: Math.min(start + partSize, size) - 1, partNumber });
    }
    const parts: CompletedPart[] = [];
    let next = 0;
    const worker = async () => {
      while (next < ranges.length) {
        const { start, end, partNumber } = ranges[next++];
        const out = await client.send(
          new UploadPartCopyCommand({
            Bucket,
            Key,
            UploadId,
            PartNumber: partNumber,
            CopySource,
            CopySourceRange: `bytes=${start}-${end}`,
          }),
        );
        parts.push({ PartNumber: partNumber, ETag: out.CopyPartResult?.ETag });
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, ranges.length) }, worker));
    parts.sort((a, b) => a.PartNumber! - b.PartNumber!);
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: parts },
        IfNoneMatch: ifNoneMatch ? '*' : undefined,
      }),
    );
  } catch (error) {
    await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => {});
    throw error;
  }
}
