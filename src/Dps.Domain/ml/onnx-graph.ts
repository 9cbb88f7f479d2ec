import { ProtoWriter } from './protobuf-writer';

/** An ONNX node attribute. */
export type OnnxAttribute =
  | { name: string; int: number }
  | { name: string; float: number }
  | { name: string; string: string }
  | { name: string; ints: number[] }
  | { name: string; floats: number[] }
  | { name: string; strings: string[] };

/** Element types used here (TensorProto.DataType values). */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

interface NodeSpec {
  op: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
}

interface TensorSpec {
  name: string;
  type: number;
  dims: number[];
  values: number[];
}

interface ValueSpec {
  name: string;
  type: number;
  /** A number is a fixed size, a string a symbolic one (e.g. "N" rows). */
  dims: (number | string)[];
}

/** What goes around the graph in the model file. */
export interface OnnxModelInfo {
  graphName: string;
  producerVersion: string;
  /** Operator sets by domain ("" is the default domain). */
  opsets: Record<string, number>;
  metadata: Record<string, string>;
}

/**
 * An ONNX graph under construction, written out as a ModelProto (field numbers from onnx/onnx.proto). Nodes
 * must be added in topological order, as ONNX requires.
 */
export class OnnxGraph {
  private nodes: NodeSpec[] = [];
  private tensors: TensorSpec[] = [];
  private inputs: ValueSpec[] = [];
  private outputs: ValueSpec[] = [];

  /** Adds a node; returns its first output name. */
  node(op: string, inputs: string[], outputs: string[], attributes: OnnxAttribute[] = [], domain = ''): string {
    this.nodes.push({ op, domain, inputs, outputs, attributes });
    return outputs[0];
  }

  /** Adds a constant tensor; returns its name. */
  constant(name: string, type: number, dims: number[], values: ArrayLike<number>): string {
    this.tensors.push({ name, type, dims, values: Array.from(values) });
    return name;
  }

  /** Declares a graph input. */
  input(name: string, type: number, dims: (number | string)[]): string {
    this.inputs.push({ name, type, dims });
    return name;
  }

  /** Declares a graph output. */
  output(name: string, type: number, dims: (number | string)[]): void {
    this.outputs.push({ name, type, dims });
  }

  /** The serialised ModelProto. */
  encode(info: OnnxModelInfo): Uint8Array {
    const model = new ProtoWriter();
    model.varint(1, 8); // ir_version 8 (ONNX 1.13+), accepted by every current runtime
    model.string(2, 'dps');
    model.string(3, info.producerVersion);
    model.message(7, (graph) => {
      for (const node of this.nodes) graph.message(1, (w) => writeNode(w, node));
      graph.string(2, info.graphName);
      for (const tensor of this.tensors) graph.message(5, (w) => writeTensor(w, tensor));
      for (const value of this.inputs) graph.message(11, (w) => writeValueInfo(w, value));
      for (const value of this.outputs) graph.message(12, (w) => writeValueInfo(w, value));
    });
    for (const [domain, version] of Object.entries(info.opsets)) {
      model.message(8, (w) => w.string(1, domain).varint(2, version));
    }
    for (const [key, value] of Object.entries(info.metadata)) model.message(14, (w) => w.string(1, key).string(2, value));
    return model.finish();
  }
}

function writeNode(w: ProtoWriter, node: NodeSpec): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, `${node.op}_${node.outputs[0]}`);
  w.string(4, node.op);
  for (const attribute of node.attributes) w.message(5, (a) => writeAttribute(a, attribute));
  if (node.domain !== '') w.string(7, node.domain);
}

// AttributeProto: name 1, f 2, i 3, s 4, floats 7, ints 8, strings 9, type 20 (FLOAT 1, INT 2, STRING 3, FLOATS 6, INTS 7, STRINGS 8).
function writeAttribute(w: ProtoWriter, attribute: OnnxAttribute): void {
  w.string(1, attribute.name);
  if ('int' in attribute) w.varint(3, attribute.int).varint(20, 2);
  else if ('float' in attribute) w.float(2, attribute.float).varint(20, 1);
  else if ('string' in attribute) w.string(4, attribute.string).varint(20, 3);
  else if ('ints' in attribute) w.packedVarints(8, attribute.ints).varint(20, 7);
  else if ('floats' in attribute) w.packedFloats(7, attribute.floats).varint(20, 6);
  else {
    for (const s of attribute.strings) w.string(9, s);
    w.varint(20, 8);
  }
}

// TensorProto: dims 1, data_type 2, float_data 4, int64_data 7, name 8.
function writeTensor(w: ProtoWriter, tensor: TensorSpec): void {
  w.packedVarints(1, tensor.dims);
  w.varint(2, tensor.type);
  if (tensor.type === ONNX_FLOAT) w.packedFloats(4, tensor.values);
  else w.packedVarints(7, tensor.values);
  w.string(8, tensor.name);
}

// ValueInfoProto: name 1, type 2 -> TypeProto.tensor_type 1 -> elem_type 1, shape 2 -> dim 1 -> dim_value 1 | dim_param 2.
function writeValueInfo(w: ProtoWriter, value: ValueSpec): void {
  w.string(1, value.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.varint(1, value.type);
      tensor.message(2, (shape) => {
        for (const dim of value.dims) shape.message(1, (d) => (typeof dim === 'number' ? d.varint(1, dim) : d.string(2, dim)));
      });
    }),
  );
}
