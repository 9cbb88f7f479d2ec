import { app, InvocationContext } from '@azure/functions';
import type { AppDependencies } from '../app-dependencies';
import { decodeEventBody } from '../shared/event-body';
import { lazyAsync } from '../shared/lazy-async';
import { openAuditStore } from '../storage/audit-store';
import { appendAuditEvents } from './chain-appender';

/** The function that links audit events into the hash chain. */
export const AUDIT_WRITER = 'auditWriter';

/**
 * Registers `auditWriter`: reads the audit hub in batches and appends them to the hash chain. Invalid
 * events, and ids already chained with other content, are dead-lettered with the reason. A storage
 * failure fails the batch, and the retry policy runs it again (without one Event Hubs would
 * checkpoint past it); redelivered events are recognised, so a retried batch never forks the chain.
 * The blob segments follow the table and may lag behind it after a failure; the head is anchored
 * (appended to the anchors blob and logged) after every batch that moved it.
 */
export function registerAuditWriter(deps: AppDependencies): void {
  const store = lazyAsync(() => deps.storage(), (storage) => openAuditStore(storage, deps.settings));
  app.eventHub(AUDIT_WRITER, {
    connection: 'EventHubConnection',
    eventHubName: '%DPS_AUDIT_HUB%',
    consumerGroup: 'audit-writer',
    cardinality: 'many',
    retry: { strategy: 'exponentialBackoff', maxRetryCount: -1, minimumInterval: { seconds: 1 }, maximumInterval: { minutes: 5 } },
    handler: async (messages: unknown, context: InvocationContext): Promise<void> => {
      const { chain, segments, anchors, deadLetters } = await store();
      const bodies = (Array.isArray(messages) ? messages : [messages]).map(decodeEventBody);
      const outcome = await appendAuditEvents(chain, bodies);
      const receivedAt = new Date().toISOString();
      for (const { index, error } of outcome.rejected) {
        const name = await deadLetters.write({ reason: error, body: bodies[index], receivedAt });
        context.warn(`audit event ${index} of the batch dead-lettered to ${name}: ${error}`);
      }
      try {
        await segments.sync();
      } catch (error) {
        // The chain is committed; the segments catch up with a later batch. Blocking the hub on them would stall every audit event.
        context.error(`audit segments are behind the chain: ${(error as Error).message}`);
      }
      if (outcome.appended.length > 0) {
        // The head, anchored outside the table and in the log: a later rewrite of the table cannot match both.
        try {
          await anchors.write(outcome.head, receivedAt);
        } catch (error) {
          context.error(`audit anchor not written: ${(error as Error).message}`);
        }
        context.log(`audit anchor: head seq ${outcome.head.seq} hash ${outcome.head.hash}`);
      }
      context.log(`audit chain: ${outcome.appended.length} appended, ${outcome.duplicates.length} redelivered, ${outcome.rejected.length} dead-lettered; head at seq ${outcome.head.seq}`);
    },
  });
}
