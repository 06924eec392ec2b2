import { testS3Bucket } from '../support/services.js';
import { uploadStoreContract } from './upload-store.contract.js';

// Real: a server on loopback with its lake in a fresh Swift s3api bucket (signatures checked).
uploadStoreContract('s3', async () => {
  const bucket = await testS3Bucket();
  return {
    lake: `s3://${bucket.bucket}/lake`,
    s3: {
      endpoint: bucket.endpoint,
      region: bucket.region,
      forcePathStyle: true,
      accessKeyId: bucket.accessKeyId,
      secretAccessKey: bucket.secretAccessKey,
    },
  };
});
