// Types of scripts/extract-contract.mjs, for the tests that import it.
export type Json = Record<string, unknown>;

export interface ContractExtract {
  $comment: string;
  /** The operationIds it holds, sorted. */
  operations: string[];
  /** SHA-256 of every .json file of the OAS folder it was cut from. */
  sha256: Record<string, string>;
  repairs: string[];
  /** Per OAS file: the picked paths and the components they reach, at their original pointers. */
  files: Record<string, Json>;
}

export const extractFile: string;
export const defaultOasDir: string;
export function javaToJs(java: string): string;
export function danglingRefs(files: Record<string, Json>): string[];
export function buildExtract(dir: string, operationIds: string[]): ContractExtract;
export function serialize(extract: ContractExtract): string;
