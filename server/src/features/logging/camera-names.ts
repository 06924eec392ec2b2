/**
 * Camera, reel and clip from the names cameras give their files. A camera letter and a
 * three-digit reel (magazine) start every common scheme; the clip number follows:
 *
 * - ARRI:      `A001C003_220314_R1AB.mxf`   (reel, `C` clip, date, card id)
 * - Sony:      `A001C003_220314XY.MXF`     (reel, `C` clip, date and two letters)
 * - Canon:     `A001C003_220314AB_CANON.MXF`
 * - RED:       `A001_C003_0314AB_001.R3D`  (reel `_` clip, month-day and two letters, segment)
 * - Blackmagic: `A001_03141234_C003.braw`   (reel, date and time, clip)
 *
 * Renamed copies keep their case or lose it (`a001c003.mov`), so matching ignores case and
 * the results are upper case (ASCII only: a case-insensitive pattern would take the Kelvin
 * sign for a K). Anything else answers null: a guess on a name that only
 * looks similar (`A1C3.mov`, `IMG_0001.MOV`) would fill the log with wrong reels.
 */
export interface CameraName {
  /** The camera's letter (`A`). */
  camera: string;
  /** The reel or magazine (`A001`). */
  reel: string;
  /** The clip as the camera counts it, with its reel (`A001C003`), what a script supervisor writes. */
  clip: string;
}

const PATTERNS: RegExp[] = [
  // ARRI, Sony, Canon and others: reel and clip run together.
  /^([A-Za-z])(\d{3})[Cc](\d{3,4})(?:[_.\s-]|$)/,
  // RED: reel and clip apart.
  /^([A-Za-z])(\d{3})_[Cc](\d{3,4})(?:[_.\s-]|$)/,
  // Blackmagic: the date and time between them.
  /^([A-Za-z])(\d{3})_\d{8}_[Cc](\d{3,4})(?:[_.\s-]|$)/,
];

export function parseCameraName(fileName: string): CameraName | null {
  const name = fileName.normalize('NFC');
  for (const pattern of PATTERNS) {
    const match = pattern.exec(name);
    if (match) {
      const camera = match[1].toUpperCase();
      const reel = `${camera}${match[2]}`;
      return { camera, reel, clip: `${reel}C${match[3]}` };
    }
  }
  return null;
}
