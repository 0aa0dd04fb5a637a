import { status } from '@grpc/grpc-js';
import { GrpcStatusError } from './grpc-errors';

/** The part of a grpc-js server call the methods use. */
export interface GrpcCall {
  cancelled?: boolean;
  on?(event: 'cancelled', listener: () => void): unknown;
  off?(event: 'cancelled', listener: () => void): unknown;
}

/**
 * Runs a unary method's work unless the call is already cancelled (client gone, deadline passed):
 * nothing is read or sent for a call nobody waits for. Work in flight when the call is cancelled
 * is abandoned: its answer is dropped, and the abort signal tells the work that can stop to stop.
 */
export async function whileCallLive<T>(
  call: GrpcCall | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  const onCancel = () => abort.abort();
  if (call?.cancelled)
    throw new GrpcStatusError(status.CANCELLED, 'The call was cancelled before it started');
  call?.on?.('cancelled', onCancel);
  try {
    return await work(abort.signal);
  } finally {
    call?.off?.('cancelled', onCancel);
  }
}

/** Throws CANCELLED when the call's signal has fired (between steps of a multi-step method). */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new GrpcStatusError(status.CANCELLED, 'The call was cancelled');
}
