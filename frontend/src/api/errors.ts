/** The error body every service answers a refused request with (platform's ApiException). */
export interface ApiErrorBody {
  status: number;
  error?: string;
  message?: string;
  fields?: { field: string; reason: string }[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly fields: { field: string; reason: string }[];

  constructor(status: number, body: Partial<ApiErrorBody> | undefined, fallback: string) {
    super(body?.message || fallback);
    this.name = 'ApiError';
    this.status = status;
    this.fields = body?.fields ?? [];
  }

  /** Field reasons keyed by field name, as react-aria's Form validationErrors expects them. */
  fieldErrors(): Record<string, string[]> {
    const errors: Record<string, string[]> = {};
    for (const { field, reason } of this.fields) {
      (errors[field] ??= []).push(reason);
    }
    return errors;
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
