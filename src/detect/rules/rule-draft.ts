// Rules-file items after merging definitions, appends and overrides across files, before compilation.
import type { ListItem } from '../condition/ast.ts';

export interface ExceptionDraft {
  name: string;
  fields: string | string[];
  comps: string | string[] | undefined;
  values: unknown[];
}

export interface Located {
  file: string;
  line: number;
}

export interface ListDraft extends Located {
  items: ListItem[];
}

export interface MacroDraft extends Located {
  condition: string;
  /** Load order of the first definition and of the last definition or append (Falco's index and visibility). */
  index: number;
  visibility: number;
}

export interface RuleDraft extends Located {
  name: string;
  condition: string;
  conditionLine: number;
  output: string;
  outputLine: number;
  desc: string;
  priority: string;
  source: string;
  tags: string[];
  enabled: boolean;
  exceptions: ExceptionDraft[];
  skipIfUnknownFilter: boolean;
}
