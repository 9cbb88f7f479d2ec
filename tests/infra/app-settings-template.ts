import type { Node } from 'web-tree-sitter';
import { bicepFile } from './bicep-files';
import { declaration, declarations, keyOf, literal, nameOf, valueOf } from './bicep-model';

export interface AppSetting {
  name: string;
  /** The value expression as written in main.bicep. */
  value: Node;
  /** The literal value, following a param default or a var when the value names one. */
  resolved: string | number | boolean | null | undefined;
  /** True when the setting sits in the conditional branch of the union (Durable Task Scheduler only). */
  conditional: boolean;
}

/** Reads the `var appSettings` object of main.bicep: every app setting the template gives the Function App. */
export async function templateAppSettings(): Promise<AppSetting[]> {
  const { root } = await bicepFile('main.bicep');
  const value = valueOf(declaration(root, 'variable', 'appSettings'));
  if (!value) throw new Error('var appSettings has no value');
  const named = new Map([...declarations(root, 'parameter'), ...declarations(root, 'variable')].map((node) => [nameOf(node), valueOf(node)]));
  const objects = [value, ...value.descendantsOfType('object')].filter((node, index, all) => node.type === 'object' && all.findIndex((other) => other.id === node.id) === index);
  const topLevelObjects = objects.filter((object) => !hasAncestor(object, 'object_property', value));
  return topLevelObjects.flatMap((object) =>
    object.namedChildren
      .filter((child) => child.type === 'object_property')
      .map((child) => {
        const settingValue = child.namedChildren[1];
        const target = settingValue.type === 'identifier' ? named.get(settingValue.text) : settingValue;
        return { name: keyOf(child), value: settingValue, resolved: literal(target), conditional: hasAncestor(object, 'ternary_expression', value) };
      }),
  );
}

function hasAncestor(node: Node, type: string, stop: Node): boolean {
  for (let current = node.parent; current && current.id !== stop.id; current = current.parent) {
    if (current.type === type) return true;
  }
  return false;
}
