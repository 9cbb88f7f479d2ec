import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

let loading: Promise<Parser> | undefined;

/** Loads the tree-sitter Bicep grammar (tree-sitter-bicep.wasm) once and returns a parser for it. */
function bicepParser(): Promise<Parser> {
  loading ??= (async () => {
    await Parser.init();
    const wasm = createRequire(__filename).resolve('tree-sitter-bicep/tree-sitter-bicep.wasm');
    const parser = new Parser();
    parser.setLanguage(await Language.load(wasm));
    return parser;
  })();
  return loading;
}

/** Parses Bicep source text and returns the root node of its syntax tree. */
export async function parseBicep(source: string): Promise<Node> {
  const tree = (await bicepParser()).parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree.rootNode;
}
