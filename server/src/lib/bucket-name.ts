const RULE = 'bucket names are 3 to 63 characters of lower-case letters, digits, dots and hyphens';

/**
 * Which S3 bucket-name rule `name` breaks, or null when it is a valid name. The one place that
 * decides; the store URL parser and the settings page both ask here. Callers say whose name it is.
 */
export function bucketNameProblem(name: string): string | null {
  if (/\s/.test(name)) return `it contains a space (${RULE})`;
  if (name.length < 3 || name.length > 63) return `it is ${name.length} characters long (${RULE})`;
  if (/[A-Z]/.test(name)) return `it contains upper-case letters (${RULE})`;
  // Underscores are legacy (us-east-1 buckets made before 2018) and still reachable.
  const bad = name.match(/[^a-z0-9._-]/);
  if (bad) return `it contains "${bad[0]}" (${RULE})`;
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name))
    return 'it must begin and end with a letter or digit';
  if (name.includes('..')) return 'it has two dots in a row';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'it is formatted like an IP address';
  return null;
}
