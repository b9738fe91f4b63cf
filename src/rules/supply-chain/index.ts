// Explicit registry of the supply-chain rules (image references): one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';
import imageLatestTag from './image-latest-tag.ts';
import imageNotPinnedByDigest from './image-not-pinned-by-digest.ts';

export const supplyChainRules: readonly Rule[] = [imageLatestTag, imageNotPinnedByDigest];
