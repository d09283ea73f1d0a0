import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Activity } from 'botbuilder';

/**
 * Teams AI's adapter with its JWT check exposed. botbuilder answers some forged tokens (a bad
 * signature under a known key id) with a 500 rather than a 401; checking first lets the route
 * refuse every bad token the same way, before any turn starts.
 */
export class CheckedTeamsAdapter extends TeamsAdapter {
  /** Resolves only if the Authorization header holds a valid Bot Framework token for the activity. */
  async authenticate(activity: Pick<Activity, 'channelId' | 'serviceUrl'>, authHeader: string): Promise<void> {
    await this.botFrameworkAuthentication.authenticateRequest(activity as Activity, authHeader);
  }
}
