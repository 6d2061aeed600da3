// One place for every failure sockspec can report, each with a stable code (like undici's errors).

export class SockspecError extends Error {
  readonly code: string;
  /** Exit code the CLI uses when this error reaches the user. */
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode = 2) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** A user mistake on the command line: unknown flag, missing value, bad number. */
export class UsageError extends SockspecError {
  constructor(message: string) {
    super('ERR_USAGE', message, 2);
  }
}

/** The target could not be started or reached. */
export class TargetError extends SockspecError {
  readonly stderrTail: string;
  constructor(code: string, message: string, stderrTail = '') {
    super(code, message, 2);
    this.stderrTail = stderrTail;
  }
}

/** Bytes that do not follow the wire format (raised by the codecs, never thrown at users). */
export class CodecError extends SockspecError {
  constructor(code: string, message: string) {
    super(code, message, 2);
  }
}

/** A recording file that is not one, or is damaged. */
export class RecordingError extends SockspecError {
  constructor(code: string, message: string) {
    super(code, message, 2);
  }
}

export function isSockspecError(e: unknown): e is SockspecError {
  return e instanceof SockspecError;
}
