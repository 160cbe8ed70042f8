// Entering and leaving a Stasis application: the StasisStart/StasisEnd pair and the
// subscription that makes an application hear about a channel while it controls it.
import type { Channel } from './channel.js';
import type { MediaCore } from './core.js';
import { eventBody } from './applications.js';

/** "hotline,a,b" → the app data Asterisk shows; args are the comma-separated appArgs. */
export function splitAppArgs(appArgs: string | undefined): string[] {
  return appArgs ? appArgs.split(',') : [];
}

export interface EnterOptions {
  /** Publish ChannelDialplan first (a channel made by POST /channels/create starts its Stasis app). */
  announceDialplan?: boolean;
}

/**
 * Puts a channel in `app`: STASISSTATUS is cleared (seen only by applications already
 * subscribed, i.e. for channels the app made), the app subscribes, StasisStart goes to it.
 * Returns false when the application has no events connection (Asterisk refuses such a Stasis()).
 */
export function enterStasis(
  core: MediaCore,
  ch: Channel,
  app: string,
  args: string[],
  options: EnterOptions = {},
): boolean {
  if (!core.apps.isActive(app)) return false;
  const appData = [app, ...args].join(',');
  ch.stasis = {
    app,
    args,
    previousDialplan: { app_name: ch.dialplan.app_name, app_data: ch.dialplan.app_data },
  };
  ch.dialplan = { ...ch.dialplan, app_name: 'Stasis', app_data: appData };
  if (options.announceDialplan) {
    core.publishChannel(ch, 'ChannelDialplan', { dialplan_app: 'Stasis', dialplan_app_data: appData });
  }
  core.setVariable(ch, 'STASISSTATUS', '');
  ch.subscribers.add(app);
  core.apps.publish(eventBody('StasisStart', { args, channel: ch.snapshot() }), { only: app });
  return true;
}

/** The channel leaves its application: StasisEnd, then the Stasis subscription ends. */
export function leaveStasis(core: MediaCore, ch: Channel): void {
  const stasis = ch.stasis;
  if (!stasis) return;
  core.apps.publish(eventBody('StasisEnd', { channel: ch.snapshot() }), { only: stasis.app });
  ch.subscribers.remove(stasis.app);
  ch.stasis = null;
  ch.dialplan = { ...ch.dialplan, ...stasis.previousDialplan };
  core.setVariable(ch, 'STASISSTATUS', 'SUCCESS');
}
