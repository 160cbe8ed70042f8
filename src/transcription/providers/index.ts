// The providers by name, built from configuration. A new vendor is one file here and one entry in
// `build` (and in the config schema's provider list).
import type { HotlineConfig } from '../../config.js';
import type { AsrProvider } from '../provider.js';
import { FallbackProvider } from './fallback.js';
import { GoogleProvider } from './google.js';
import { PocketsphinxProvider } from './pocketsphinx.js';
import { WebsocketProvider } from './websocket.js';

export type ProviderName = HotlineConfig['transcription']['provider'];

export { FallbackProvider, GoogleProvider, PocketsphinxProvider, WebsocketProvider };

function build(name: ProviderName, config: HotlineConfig['transcription']): AsrProvider {
  switch (name) {
    case 'pocketsphinx':
      return new PocketsphinxProvider(config.pocketsphinx);
    case 'websocket':
      return new WebsocketProvider(config.websocket);
    case 'google':
      return new GoogleProvider(config.google);
  }
}

/** One instance per provider name, shared by every call (they hold clients and connections). */
export class ProviderRegistry {
  private readonly built = new Map<string, AsrProvider>();

  constructor(private readonly config: HotlineConfig['transcription']) {}

  get(name: ProviderName): AsrProvider {
    let provider = this.built.get(name);
    if (!provider) {
      provider = build(name, this.config);
      this.built.set(name, provider);
    }
    return provider;
  }

  /** `name`, with the configured fallback behind it unless that is the same or none. */
  withFallback(name: ProviderName): AsrProvider {
    const primary = this.get(name);
    const fallback = this.config.fallbackProvider;
    if (fallback === 'none' || fallback === name) return primary;
    const key = `${name}+${fallback}`;
    let provider = this.built.get(key);
    if (!provider) {
      provider = new FallbackProvider(primary, this.get(fallback));
      this.built.set(key, provider);
    }
    return provider;
  }

  /** The pocketsphinx provider (speech menus use its grammar mode). */
  pocketsphinx(): PocketsphinxProvider {
    return this.get('pocketsphinx') as PocketsphinxProvider;
  }

  async close(): Promise<void> {
    const unique = new Set([...this.built.entries()].filter(([k]) => !k.includes('+')).map(([, p]) => p));
    await Promise.all([...unique].map((p) => p.close()));
    this.built.clear();
  }
}
