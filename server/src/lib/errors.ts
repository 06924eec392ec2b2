/** One error model: each has a code, an HTTP status and a message a person understands. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Invalid extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'invalid', message, details);
  }
}

/** A path no lake or edit volume could hold as a whole, though each name in it is fine. */
export class PathTooLong extends AppError {
  constructor(message: string) {
    super(400, 'path_too_long', message);
  }
}

export class Unauthenticated extends AppError {
  constructor(message = 'Sign in first.') {
    super(401, 'unauthenticated', message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You may not do that.') {
    super(403, 'forbidden', message);
  }
}

/** Also the answer for something that exists but the caller may not see. */
export class NotFound extends AppError {
  constructor(message = 'Not found.') {
    super(404, 'not_found', message);
  }
}

export class Conflict extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, 'conflict', message, details);
  }
}

/** Well-formed, but the thing it names cannot be used (a lake that is unreachable or not writable). */
export class Unprocessable extends AppError {
  constructor(message: string, details?: unknown) {
    super(422, 'unusable', message, details);
  }
}

/** A byte range that starts past the end of the file (HTTP 416). */
export class RangeNotSatisfiable extends AppError {
  constructor(message: string) {
    super(416, 'range_not_satisfiable', message);
  }
}

/** The lake, derivative store or a volume failed (unreachable, full, refused). */
export class StorageError extends AppError {
  constructor(
    message: string,
    readonly cause?: unknown,
  ) {
    super(503, 'storage_unavailable', message);
  }
}

export class InsufficientStorage extends AppError {
  constructor(message: string) {
    super(507, 'insufficient_storage', message);
  }
}
