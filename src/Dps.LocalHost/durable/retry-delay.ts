import type { RetryPolicyOptions } from './history';

/** Delay before the next attempt after `attempt` failed, as Durable's RetryOptions define it. */
export function retryDelayMs(options: RetryPolicyOptions, attempt: number): number {
  const coefficient = options.backoffCoefficient ?? 1;
  const delay = options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, attempt - 1);
  const cap = options.maxRetryIntervalInMilliseconds;
  return cap && cap > 0 ? Math.min(delay, cap) : delay;
}
