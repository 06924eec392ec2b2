/** Line icons drawn on a 16-unit grid; decorative, so hidden from assistive technology. */
import type { ReactNode } from 'react';

function Icon({ children, size = 16 }: { children: ReactNode; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.4"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

type P = { size?: number };

export const IconFolder = (p: P) => (
  <Icon {...p}>
    <path d="M1.5 4.5v8a1 1 0 0 0 1 1h11a1 1 0 0 0 1-1v-6a1 1 0 0 0-1-1H8L6.5 3.5h-4a1 1 0 0 0-1 1z" />
  </Icon>
);
export const IconFolderPlus = (p: P) => (
  <Icon {...p}>
    <path d="M1.5 4.5v8a1 1 0 0 0 1 1h11a1 1 0 0 0 1-1v-6a1 1 0 0 0-1-1H8L6.5 3.5h-4a1 1 0 0 0-1 1z" />
    <path d="M8 7.5v4M6 9.5h4" />
  </Icon>
);
export const IconFile = (p: P) => (
  <Icon {...p}>
    <path d="M4 1.5h5l3.5 3.5v9a.5.5 0 0 1-.5.5H4a.5.5 0 0 1-.5-.5V2a.5.5 0 0 1 .5-.5z" />
    <path d="M9 1.5V5h3.5" />
  </Icon>
);
export const IconDownload = (p: P) => (
  <Icon {...p}>
    <path d="M8 2v8.5M4.5 7L8 10.5 11.5 7M2.5 13.5h11" />
  </Icon>
);
export const IconTrash = (p: P) => (
  <Icon {...p}>
    <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4M6.8 6.5v5M9.2 6.5v5" />
  </Icon>
);
export const IconUpload = (p: P) => (
  <Icon {...p}>
    <path d="M8 11V2.5M4.5 6L8 2.5 11.5 6M2.5 13.5h11" />
  </Icon>
);
export const IconSettings = (p: P) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="2.2" />
    <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
  </Icon>
);
export const IconTable = (p: P) => (
  <Icon {...p}>
    <path d="M2 3.5h12M2 6.5h12M2 9.5h12M2 12.5h12" />
  </Icon>
);
export const IconGrid = (p: P) => (
  <Icon {...p}>
    <rect x="2" y="2" width="5" height="5" rx=".5" />
    <rect x="9" y="2" width="5" height="5" rx=".5" />
    <rect x="2" y="9" width="5" height="5" rx=".5" />
    <rect x="9" y="9" width="5" height="5" rx=".5" />
  </Icon>
);
export const IconSearch = (p: P) => (
  <Icon {...p}>
    <circle cx="7" cy="7" r="4.5" />
    <path d="M10.5 10.5l3.5 3.5" />
  </Icon>
);
export const IconClose = (p: P) => (
  <Icon {...p}>
    <path d="M4 4l8 8M12 4l-8 8" />
  </Icon>
);
export const IconChevronRight = (p: P) => (
  <Icon {...p}>
    <path d="M6 3.5L10.5 8 6 12.5" />
  </Icon>
);
export const IconChevronDown = (p: P) => (
  <Icon {...p}>
    <path d="M3.5 6L8 10.5 12.5 6" />
  </Icon>
);
export const IconArrowUp = (p: P) => (
  <Icon {...p}>
    <path d="M8 13V3M4.5 6.5L8 3l3.5 3.5" />
  </Icon>
);
export const IconArrowDown = (p: P) => (
  <Icon {...p}>
    <path d="M8 3v10M4.5 9.5L8 13l3.5-3.5" />
  </Icon>
);
export const IconRestore = (p: P) => (
  <Icon {...p}>
    <path d="M2.5 8a5.5 5.5 0 1 0 1.6-3.9M2.5 2.5v2.8h2.8" />
  </Icon>
);
export const IconRetry = IconRestore;
export const IconPlay = (p: P) => (
  <Icon {...p}>
    <path d="M4.5 2.5v11l9-5.5z" fill="currentColor" />
  </Icon>
);
export const IconPause = (p: P) => (
  <Icon {...p}>
    <path d="M5 3v10M11 3v10" strokeWidth="2.4" />
  </Icon>
);
export const IconStepBack = (p: P) => (
  <Icon {...p}>
    <path d="M3.5 3v10M13 3.5L6 8l7 4.5z" />
  </Icon>
);
export const IconStepForward = (p: P) => (
  <Icon {...p}>
    <path d="M12.5 3v10M3 3.5L10 8l-7 4.5z" />
  </Icon>
);
export const IconUsers = (p: P) => (
  <Icon {...p}>
    <circle cx="6" cy="5.5" r="2.5" />
    <path d="M1.5 13.5c.5-2.5 2.3-4 4.5-4s4 1.5 4.5 4M10.5 3.2a2.5 2.5 0 0 1 0 4.6M12 9.8c1.3.6 2.2 1.9 2.5 3.7" />
  </Icon>
);
export const IconHome = (p: P) => (
  <Icon {...p}>
    <path d="M2 7.5L8 2.5l6 5M3.5 6.5v7h3.5v-4h2v4h3.5v-7" />
  </Icon>
);
export const IconEdit = (p: P) => (
  <Icon {...p}>
    <path d="M10.5 2.5l3 3-8 8H2.5v-3z" />
  </Icon>
);
export const IconMove = (p: P) => (
  <Icon {...p}>
    <path d="M1.5 4.5v8a1 1 0 0 0 1 1h11a1 1 0 0 0 1-1v-6a1 1 0 0 0-1-1H8L6.5 3.5h-4a1 1 0 0 0-1 1z" />
    <path d="M5.5 9.5h5M8.5 7.5l2 2-2 2" />
  </Icon>
);
export const IconLock = (p: P) => (
  <Icon {...p}>
    <rect x="3" y="7" width="10" height="7" rx="1" />
    <path d="M5 7V5a3 3 0 0 1 6 0v2" />
  </Icon>
);
export const IconSignOut = (p: P) => (
  <Icon {...p}>
    <path d="M6 2.5H3a.5.5 0 0 0-.5.5v10a.5.5 0 0 0 .5.5h3M10 5l3 3-3 3M13 8H6" />
  </Icon>
);
export const IconWarning = (p: P) => (
  <Icon {...p}>
    <path d="M8 2l6.5 11.5h-13zM8 6.5v3M8 11.5v.5" />
  </Icon>
);
export const IconCopy = (p: P) => (
  <Icon {...p}>
    <rect x="5" y="5" width="9" height="9" rx="1" />
    <path d="M11 5V2.5a.5.5 0 0 0-.5-.5h-8a.5.5 0 0 0-.5.5v8a.5.5 0 0 0 .5.5H5" />
  </Icon>
);
/** An edit volume (a drive), for copying to it. */
export const IconVolume = (p: P) => (
  <Icon {...p}>
    <rect x="2" y="9" width="12" height="4" rx="1" />
    <path d="M4 9l1.5-5h5L12 9M11 11h.01M8 2v4M6.5 4.5L8 6l1.5-1.5" />
  </Icon>
);
/** An edit volume, for removing from it. */
export const IconVolumeRemove = (p: P) => (
  <Icon {...p}>
    <rect x="2" y="9" width="12" height="4" rx="1" />
    <path d="M4 9l1.5-5h5L12 9M11 11h.01M6 5h4" />
  </Icon>
);
export const IconStorage = (p: P) => (
  <Icon {...p}>
    <ellipse cx="8" cy="3.5" rx="5.5" ry="2" />
    <path d="M2.5 3.5v9c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2v-9M2.5 8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2" />
  </Icon>
);
export const IconMore = (p: P) => (
  <Icon {...p}>
    <circle cx="3" cy="8" r="0.9" fill="currentColor" />
    <circle cx="8" cy="8" r="0.9" fill="currentColor" />
    <circle cx="13" cy="8" r="0.9" fill="currentColor" />
  </Icon>
);
export const IconMenu = (p: P) => (
  <Icon {...p}>
    <path d="M2 4h12M2 8h12M2 12h12" />
  </Icon>
);
