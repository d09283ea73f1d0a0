import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { ConnectorClient } from 'botframework-connector';
import type { Connector } from './chat.ts';

/**
 * Proactive calls go through the adapter's continueConversationAsync, the supported way to act
 * outside a turn: it builds a connector client for the serviceUrl, signed with the bot's
 * credentials. The client is then used directly so each call is exactly one request.
 */
export function connectorOf(adapter: TeamsAdapter, appId: string): Connector {
  return async <T>(serviceUrl: string, conversationId: string, fn: (client: ConnectorClient) => Promise<T>) => {
    let result: { value: T } | undefined;
    const reference = {
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: conversationId, isGroup: true, conversationType: 'channel', name: '' },
      bot: { id: `28:${appId}`, name: '' },
    };
    await adapter.continueConversationAsync(appId, reference, async (ctx) => {
      result = { value: await fn(ctx.turnState.get(adapter.ConnectorClientKey) as ConnectorClient) };
    });
    if (!result) throw new Error('the connector turn did not run');
    return result.value;
  };
}
