/**
 * Timecode in the browser: the server's own pure module (frames ↔ SMPTE timecode, drop-frame,
 * exact rational rates), so the player shows a frame by the label the bins and notes give it.
 */
export {
  framesToSeconds,
  framesToTimecode as framesToSourceTimecode,
  parseRate,
  type Rate,
  secondsToFrames,
  timecodeToFrames as sourceTimecodeToFrames,
} from '../../../server/src/lib/timecode';
