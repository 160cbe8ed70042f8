/* global setTimeout */
// More ARI scenarios of the kind ../shared/ari-lab runs (same runner, same sipp callers and
// agent phone), for what a contact center also does: a three-party conference, playback
// control, barge-in on a playlist, and hang-up causes. Run against the embedded server with
//   npm run conformance -- --scenarios test/ari-lab/scenarios-more.mjs --out /tmp/more
// There are no Asterisk traces for these: read the traces, and compare them with a real
// Asterisk when one is at hand (node ../shared/ari-lab/run.mjs --scenarios ... against it).
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ofChannel = (type, id) => (e) => e.type === type && e.channel?.id === id;

export const scenarios = [
  {
    name: 'conference-three-callers',
    about:
      'Three callers in one mixing bridge; a prompt to the bridge; music on hold to the bridge; they are hung up one by one.',
    async run(ari, { call }) {
      const callers = [];
      const ids = [];
      for (const [i, did] of ['1010', '1011', '1012'].entries()) {
        callers.push(call(did, 'caller-talk-wait-bye.xml'));
        const start = await ari.stasisStart(did);
        ids.push(ari.alias(start.channel.id, `caller${i + 1}`));
        await ari.request(`answer caller ${i + 1}`, 'POST', `/channels/${ids[i]}/answer`);
      }
      const br = await ari.request('create the conference', 'POST', '/bridges', {
        type: 'mixing',
        name: 'conference',
      });
      const b = ari.alias(br.body.id, 'bridge');
      for (const [i, id] of ids.entries())
        await ari.request(`caller ${i + 1} joins`, 'POST', `/bridges/${b}/addChannel`, { channel: id });
      await ari.request('the conference', 'GET', `/bridges/${b}`);
      const pb = await ari.request('announce to everyone', 'POST', `/bridges/${b}/play`, {
        media: 'sound:conf-now-unmuted',
      });
      ari.alias(pb.body?.id, 'announcement');
      await ari.waitFor(
        'announcement finished',
        (e) => e.type === 'PlaybackFinished' && e.playback.id === pb.body.id,
        15000,
      );
      await ari.request('music to the conference', 'POST', `/bridges/${b}/moh`, { mohClass: 'default' });
      await sleep(1000);
      await ari.request('stop the music', 'DELETE', `/bridges/${b}/moh`);
      await ari.request('stop the music again', 'DELETE', `/bridges/${b}/moh`);
      for (const [i, id] of ids.entries()) {
        await ari.request(`hang up caller ${i + 1}`, 'DELETE', `/channels/${id}`);
        await ari.waitFor(`caller ${i + 1} StasisEnd`, ofChannel('StasisEnd', id));
      }
      await ari.request('destroy the conference', 'DELETE', `/bridges/${b}`);
      return callers;
    },
  },
  {
    name: 'playback-control',
    about:
      'A long prompt paused, resumed, restarted, moved forward and back, then stopped; control of a finished playback.',
    async run(ari, { call }) {
      const caller = call('1013', 'caller-talk-wait-bye.xml');
      const start = await ari.stasisStart('1013');
      const ch = ari.alias(start.channel.id, 'caller');
      await ari.request('answer', 'POST', `/channels/${ch}/answer`);
      const pb = await ari.request('play a long prompt', 'POST', `/channels/${ch}/play`, {
        media: 'sound:demo-congrats',
      });
      const id = ari.alias(pb.body?.id, 'prompt');
      await ari.waitFor('started', (e) => e.type === 'PlaybackStarted' && e.playback.id === id);
      await ari.request('pause', 'POST', `/playbacks/${id}/control`, { operation: 'pause' });
      await ari.request('paused', 'GET', `/playbacks/${id}`);
      await ari.request('pause again', 'POST', `/playbacks/${id}/control`, { operation: 'pause' });
      await ari.request('forward while paused', 'POST', `/playbacks/${id}/control`, { operation: 'forward' });
      await sleep(500);
      await ari.request('unpause', 'POST', `/playbacks/${id}/control`, { operation: 'unpause' });
      await ari.request('restart', 'POST', `/playbacks/${id}/control`, { operation: 'restart' });
      await ari.request('forward', 'POST', `/playbacks/${id}/control`, { operation: 'forward' });
      await ari.request('reverse', 'POST', `/playbacks/${id}/control`, { operation: 'reverse' });
      await ari.request('a bad operation', 'POST', `/playbacks/${id}/control`, { operation: 'sideways' });
      await ari.request('no operation', 'POST', `/playbacks/${id}/control`);
      await ari.request('stop', 'DELETE', `/playbacks/${id}`);
      await ari.waitFor('finished', (e) => e.type === 'PlaybackFinished' && e.playback.id === id);
      await sleep(200);
      await ari.request('control a finished playback', 'POST', `/playbacks/${id}/control`, {
        operation: 'pause',
      });
      const tone = await ari.request('play a ring tone', 'POST', `/channels/${ch}/play`, {
        media: 'tone:ring',
      });
      ari.alias(tone.body?.id, 'tone');
      await ari.waitFor(
        'tone started',
        (e) => e.type === 'PlaybackStarted' && e.playback.id === tone.body.id,
      );
      await sleep(1000);
      await ari.request('stop the tone', 'DELETE', `/playbacks/${tone.body.id}`);
      await ari.waitFor(
        'tone finished',
        (e) => e.type === 'PlaybackFinished' && e.playback.id === tone.body.id,
      );
      await ari.request('hang up', 'DELETE', `/channels/${ch}`);
      await ari.waitFor('StasisEnd', ofChannel('StasisEnd', ch));
      return [caller];
    },
  },
  {
    name: 'barge-in-on-playlist',
    about:
      'A playlist (prompt, long prompt, digits); the caller presses 1 during the second item and the app stops the playback.',
    async run(ari, { call }) {
      const caller = call('1014', 'caller-dtmf-wait-bye.xml');
      const start = await ari.stasisStart('1014');
      const ch = ari.alias(start.channel.id, 'caller');
      await ari.request('answer', 'POST', `/channels/${ch}/answer`);
      const pb = await ari.request('play a menu playlist', 'POST', `/channels/${ch}/play`, {
        media: 'sound:hello-world,sound:demo-congrats,digits:123',
      });
      const id = ari.alias(pb.body?.id, 'menu');
      const queued = await ari.request('queue a prompt behind it', 'POST', `/channels/${ch}/play`, {
        media: 'sound:hello-world',
      });
      ari.alias(queued.body?.id, 'queued');
      await ari.waitFor('the caller presses a key', ofChannel('ChannelDtmfReceived', ch), 15000);
      await ari.request('the playlist now', 'GET', `/playbacks/${id}`);
      await ari.request('stop the playlist', 'DELETE', `/playbacks/${id}`);
      await ari.request('stop the queued prompt', 'DELETE', `/playbacks/${queued.body.id}`);
      await ari.waitFor('menu finished', (e) => e.type === 'PlaybackFinished' && e.playback.id === id);
      await ari.waitFor(
        'queued finished',
        (e) => e.type === 'PlaybackFinished' && e.playback.id === queued.body.id,
      );
      const num = await ari.request('say a number', 'POST', `/channels/${ch}/play`, { media: 'number:42' });
      ari.alias(num.body?.id, 'number');
      await ari.waitFor(
        'number finished',
        (e) => e.type === 'PlaybackFinished' && e.playback.id === num.body.id,
        15000,
      );
      await ari.request('hang up', 'DELETE', `/channels/${ch}`);
      await ari.waitFor('StasisEnd', ofChannel('StasisEnd', ch));
      return [caller];
    },
  },
  {
    name: 'hangup-causes',
    needsAgent: true,
    about:
      'Hang-up reasons and codes: an originated agent leg hung up as busy, a caller hung up with a Q.850 code, bad reasons refused.',
    async run(ari, { call, agent }) {
      const caller = call('1015', 'caller-talk-wait-bye.xml');
      const start = await ari.stasisStart('1015');
      const ch = ari.alias(start.channel.id, 'caller');
      await ari.request('answer', 'POST', `/channels/${ch}/answer`);
      const org = await ari.request('originate the agent', 'POST', '/channels', {
        endpoint: `PJSIP/${agent}`,
        app: 'hotline',
        appArgs: 'agent-busy',
        timeout: 20,
      });
      const ag = ari.alias(org.body?.id, 'agent');
      await ari.stasisStart('agent-busy', 20000);
      await ari.request('a reason that does not exist', 'DELETE', `/channels/${ag}`, { reason: 'bored' });
      await ari.request('both a reason and a code', 'DELETE', `/channels/${ag}`, {
        reason: 'busy',
        reason_code: '17',
      });
      await ari.request('hang up the agent as busy', 'DELETE', `/channels/${ag}`, { reason: 'busy' });
      await ari.waitFor('agent destroyed', ofChannel('ChannelDestroyed', ag));
      await ari.request('hang up the caller with cause 21', 'DELETE', `/channels/${ch}`, {
        reason_code: '21',
      });
      await ari.waitFor('caller StasisEnd', ofChannel('StasisEnd', ch));
      return [caller];
    },
  },
];
