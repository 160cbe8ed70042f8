/** The shared material folder (or a path inside it): HOTLINE_SHARED_DIR, ../shared, /work/shared. */
export function sharedDir(...parts: string[]): string;
