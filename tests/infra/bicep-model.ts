import type { Node } from 'web-tree-sitter';

export type Declaration = 'parameter' | 'variable' | 'resource' | 'module' | 'output' | 'type' | 'user_defined_function';

/** Lists `file:line:column` for every ERROR or MISSING node of a parsed file. */
export function syntaxProblems(root: Node, file: string): string[] {
  const problems: string[] = [];
  const visit = (node: Node): void => {
    if (node.isError || node.isMissing) {
      const { row, column } = node.startPosition;
      problems.push(`${file}:${row + 1}:${column + 1} ${node.isMissing ? `missing ${node.type}` : `unexpected "${node.text.slice(0, 40)}"`}`);
    }
    node.children.forEach(visit);
  };
  visit(root);
  return problems;
}

/** Returns the top-level declarations of one kind, e.g. every `param` of a file. */
export function declarations(root: Node, kind: Declaration): Node[] {
  return root.namedChildren.filter((node) => node.type === `${kind}_declaration` || node.type === kind);
}

/** Returns the symbolic name of a declaration. */
export function nameOf(declaration: Node): string {
  return declaration.namedChildren.find((node) => node.type === 'identifier')?.text ?? '';
}

/** Finds the top-level declaration of a kind by symbolic name; throws when absent. */
export function declaration(root: Node, kind: Declaration, name: string): Node {
  const found = declarations(root, kind).find((node) => nameOf(node) === name);
  if (!found) throw new Error(`no ${kind} named ${name}`);
  return found;
}

/** Returns the argument nodes of each decorator written above a declaration, by decorator name. */
export function decorators(declarationNode: Node): Map<string, Node[]> {
  const block = declarationNode.previousNamedSibling?.type === 'decorators' ? declarationNode.previousNamedSibling : undefined;
  const calls = block?.descendantsOfType('decorator').map((decorator) => decorator.namedChildren[0]) ?? [];
  return new Map(calls.map((call) => [call.namedChildren[0].text, call.namedChildren[1].namedChildren]));
}

/** Returns the literal value of a string, number, boolean or null node; undefined for any other expression. */
export function literal(node: Node | undefined): string | number | boolean | null | undefined {
  if (!node) return undefined;
  if (node.type === 'number') return Number(node.text);
  if (node.type === 'boolean') return node.text === 'true';
  if (node.type === 'null') return null;
  if (node.type !== 'string' || node.descendantsOfType('interpolation').length > 0) return undefined;
  return node.namedChildren.map((part) => (part.type === 'escape_sequence' ? part.text.slice(1) : part.text)).join('');
}

/** Returns the value (default) expression of a param, var or output, or undefined when there is none. */
export function valueOf(declarationNode: Node): Node | undefined {
  const [, ...rest] = declarationNode.namedChildren;
  return rest.find((node) => node.type !== 'type');
}

/** Returns the `Type@version` string of a resource declaration. */
export function resourceType(resource: Node): string {
  return literal(resource.namedChildren.find((node) => node.type === 'string'))?.toString() ?? '';
}

/** Returns the body object of a resource or module, looking through `if (...)` and `[for ...]`. */
export function bodyOf(declarationNode: Node): Node {
  const direct = declarationNode.namedChildren.find((node) => ['object', 'if_statement', 'for_statement'].includes(node.type));
  const body = direct?.type === 'object' ? direct : direct?.namedChildren.find((node) => node.type === 'object');
  if (!body) throw new Error(`no body in ${nameOf(declarationNode)}`);
  return body;
}

/** Returns the key of an object property with quotes removed. */
export function keyOf(property: Node): string {
  const key = property.namedChildren[0];
  return key.type === 'string' ? String(literal(key)) : key.text;
}

/** Returns the value expression of the property reached by a dotted path (e.g. `properties.sku`), or undefined. */
export function property(object: Node, path: string): Node | undefined {
  return path.split('.').reduce<Node | undefined>((current, key) => {
    const match = current?.namedChildren.find((child) => child.type === 'object_property' && keyOf(child) === key);
    return match?.namedChildren[1];
  }, object);
}

/** Returns the resource declarations of a file whose type (without version) matches. */
export function resourcesOfType(root: Node, type: string): Node[] {
  return declarations(root, 'resource').filter((resource) => resourceType(resource).split('@')[0] === type);
}

/** Returns the elements of an array literal. */
export function elements(array: Node | undefined): Node[] {
  return array?.type === 'array' ? array.namedChildren : [];
}

/** Returns the called function name and argument nodes of a call expression, or undefined for other nodes. */
export function call(node: Node | undefined): { fn: string; args: Node[] } | undefined {
  if (node?.type !== 'call_expression') return undefined;
  return { fn: node.namedChildren[0].text, args: node.namedChildren[1].namedChildren };
}
