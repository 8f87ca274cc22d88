// The built-in catalogues and the renderer.
import type { MessageCatalogue } from './types';
import { en } from './en';
import { fr } from './fr';

export const builtInCatalogues: Record<string, MessageCatalogue> = { en, fr };
export { Messages, interpolate } from './catalogue';
export type { MessageCatalogue, MessageKey } from './types';
