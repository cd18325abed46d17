import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate } from 'class-validator';
import { InvalidPayloadError } from '@lib/errors';

/** Validates a JSON body against a class-validator DTO; the first failure becomes 400 INVALID_PAYLOAD. */
export async function validateBody<T extends object>(dto: ClassConstructor<T>, body: unknown): Promise<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidPayloadError('"value" must be of type object');
  }
  const instance = plainToInstance(dto, body);
  const errors = await validate(instance, { forbidUnknownValues: false });
  if (errors.length) {
    const first = errors[0];
    const messages = Object.values(first.constraints ?? {});
    // class-validator reports decorators bottom-up; "is required" wins when the value is missing.
    const message = messages.find((m) => m.endsWith('is required')) ?? messages[0] ?? `"${first.property}" is invalid`;
    throw new InvalidPayloadError(message);
  }
  return instance;
}
