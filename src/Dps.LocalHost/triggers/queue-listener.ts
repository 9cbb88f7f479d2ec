import type { QueueClient } from '@azure/storage-queue';
import type { HostLogger } from '../worker/host-logger';

/** Queue trigger settings (host.json `extensions.queues`). */
export interface QueueOptions {
  maxDequeueCount: number;
  visibilityTimeoutSeconds: number;
  maxPollingIntervalMs: number;
  batchSize: number;
}

/** What the trigger hands to the function for one message. */
export interface QueueDelivery {
  text: string;
  metadata: Record<string, unknown>;
}

/** Decodes a message body: base64 by default (the host's `messageEncoding`), raw text when it is not base64. */
export function decodeQueueMessage(body: string): string {
  const trimmed = body.trim();
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(trimmed) && trimmed.length % 4 === 0) {
    const decoded = Buffer.from(trimmed, 'base64');
    if (decoded.toString('base64') === trimmed) return decoded.toString('utf8');
  }
  return body;
}

/**
 * Polls one queue for a queue-triggered function. A failed message becomes visible again after the
 * visibility timeout; after `maxDequeueCount` failed tries it moves to `{queue}-poison`.
 */
export class QueueListener {
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly queue: QueueClient,
    private readonly poison: QueueClient,
    private readonly options: QueueOptions,
    private readonly handle: (delivery: QueueDelivery) => Promise<boolean>,
    private readonly logger: HostLogger,
  ) {}

  /** Starts polling in the background. */
  start(): void {
    void this.loop();
  }

  /** Stops polling after the current batch. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    let delay = 50;
    let created = false;
    while (!this.stopped) {
      let got = 0;
      // Inside the try: a storage error here must be logged and retried, not reject the detached loop.
      try {
        if (!created) {
          await this.queue.createIfNotExists();
          created = true;
        }
        got = await this.pollOnce();
      } catch (error) {
        this.logger.host(`queue ${this.queue.name}: ${(error as Error).message}`);
      }
      delay = got > 0 ? 50 : Math.min(delay * 2, this.options.maxPollingIntervalMs);
      if (got === 0) await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        this.wake = () => (clearTimeout(t), resolve());
      });
    }
  }

  private async pollOnce(): Promise<number> {
    const { receivedMessageItems } = await this.queue.receiveMessages({ numberOfMessages: this.options.batchSize, visibilityTimeout: 600 });
    await Promise.all(
      receivedMessageItems.map(async (message) => {
        const text = decodeQueueMessage(message.messageText);
        const ok = await this.handle({
          text,
          metadata: {
            QueueTrigger: text,
            DequeueCount: message.dequeueCount,
            Id: message.messageId,
            InsertionTime: message.insertedOn.toISOString(),
            ExpirationTime: message.expiresOn.toISOString(),
            NextVisibleTime: message.nextVisibleOn.toISOString(),
            PopReceipt: message.popReceipt,
          },
        });
        if (ok) {
          await this.queue.deleteMessage(message.messageId, message.popReceipt);
        } else if (message.dequeueCount >= this.options.maxDequeueCount) {
          await this.poison.createIfNotExists();
          await this.poison.sendMessage(Buffer.from(text, 'utf8').toString('base64'));
          await this.queue.deleteMessage(message.messageId, message.popReceipt);
          this.logger.host(`queue ${this.queue.name}: message ${message.messageId} moved to ${this.poison.name} after ${message.dequeueCount} tries`);
        } else {
          await this.queue.updateMessage(message.messageId, message.popReceipt, undefined, this.options.visibilityTimeoutSeconds);
        }
      }),
    );
    return receivedMessageItems.length;
  }
}
