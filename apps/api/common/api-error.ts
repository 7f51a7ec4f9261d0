export type ErrorDetail = { path: string; message: string };

/** An error the API answers with as `{ error, message, details }`; `code` is stable for scripts. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }

  static badRequest(message: string, details: ErrorDetail[] = []): ApiError {
    return new ApiError(400, 'invalid_input', message, details);
  }
  static notFound(what: string): ApiError {
    return new ApiError(404, 'not_found', `${what} was not found`);
  }
  static forbidden(message: string): ApiError {
    return new ApiError(403, 'forbidden', message);
  }
  static conflict(code: string, message: string, details: ErrorDetail[] = []): ApiError {
    return new ApiError(409, code, message, details);
  }
  static unprocessable(code: string, message: string, details: ErrorDetail[] = []): ApiError {
    return new ApiError(422, code, message, details);
  }
}
