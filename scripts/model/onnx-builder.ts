// Minimal ONNX graph builder on onnx-proto: nodes, raw-data initializers, streamed file output.
import { closeSync, openSync, writeSync } from 'node:fs'
import onnxProto from 'onnx-proto'
import type { onnx as Onnx } from 'onnx-proto'

const { onnx } = onnxProto

export const DType = {
  float: onnx.TensorProto.DataType.FLOAT,
  int8: onnx.TensorProto.DataType.INT8,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
} as const

const OPSET = 17
const IR_VERSION = 8
const GRAPH_FIELD_TAG = (7 << 3) | 2
const INITIALIZER_FIELD_TAG = (5 << 3) | 2
const RAW_DATA_FIELD_TAG = (9 << 3) | 2

type AttributeValue = number | number[] | { float: number }

interface Initializer {
  name: string
  dims: number[]
  dataType: number
  data: Uint8Array
}

interface ValueInfo {
  name: string
  elemType: number
  shape: (number | string)[]
}

function attribute(name: string, value: AttributeValue): Onnx.IAttributeProto {
  const types = onnx.AttributeProto.AttributeType
  if (Array.isArray(value)) return { name, type: types.INTS, ints: value }
  if (typeof value === 'object') return { name, type: types.FLOAT, f: value.float }
  return { name, type: types.INT, i: value }
}

function valueInfo(info: ValueInfo): Onnx.IValueInfoProto {
  const dim = info.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }))
  return { name: info.name, type: { tensorType: { elemType: info.elemType, shape: { dim } } } }
}

function varint(value: number): Uint8Array {
  const bytes: number[] = []
  let rest = value
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  bytes.push(rest)
  return Uint8Array.from(bytes)
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
}

/** Accumulates an ONNX graph; `write` streams it to disk one initializer at a time. */
export class GraphBuilder {
  private readonly nodes: Onnx.INodeProto[] = []
  private readonly initializers: Initializer[] = []
  private readonly inputs: ValueInfo[] = []
  private readonly outputs: ValueInfo[] = []
  private counter = 0

  constructor(private readonly graphName: string) {}

  /** Declares a graph input. */
  input(name: string, elemType: number, shape: (number | string)[]): string {
    this.inputs.push({ name, elemType, shape })
    return name
  }

  /** Declares a graph output (the tensor must be produced under that name). */
  output(name: string, elemType: number, shape: (number | string)[]): void {
    this.outputs.push({ name, elemType, shape })
  }

  /** Adds a constant tensor and returns its name. */
  constant(name: string, dims: number[], values: Float32Array | Int8Array | Int32Array | BigInt64Array): string {
    const dataType =
      values instanceof Float32Array
        ? DType.float
        : values instanceof Int8Array
          ? DType.int8
          : values instanceof Int32Array
            ? DType.int32
            : DType.int64
    this.initializers.push({ name, dims, dataType, data: bytesOf(values) })
    return name
  }

  /** Adds an int64 vector constant (shapes, axes, indices). */
  ints(values: number[], dims: number[] = [values.length]): string {
    return this.constant(this.fresh('ints'), dims, BigInt64Array.from(values.map(BigInt)))
  }

  /** Adds a float constant of any shape (a scalar when dims is empty). */
  floats(values: number[], dims: number[] = [values.length]): string {
    return this.constant(this.fresh('floats'), dims, Float32Array.from(values))
  }

  /** Appends an operator node with one output and returns that output's name. */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, output?: string): string {
    return this.opMulti(opType, inputs, 1, attributes, output === undefined ? undefined : [output])[0] as string
  }

  /** Appends an operator node with several outputs. */
  opMulti(
    opType: string,
    inputs: string[],
    outputCount: number,
    attributes: Record<string, AttributeValue> = {},
    outputs?: string[],
  ): string[] {
    const names = outputs ?? Array.from({ length: outputCount }, () => this.fresh(opType))
    this.nodes.push({
      opType,
      name: this.fresh(`${opType}_node`),
      input: inputs,
      output: names,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    })
    return names
  }

  /** A unique tensor name. */
  fresh(prefix: string): string {
    this.counter += 1
    return `${prefix}_${this.counter}`
  }

  /** Serialises the model to `path` without building the whole file in memory. */
  write(path: string, producer: string): number {
    const graphHead = onnx.GraphProto.encode({
      name: this.graphName,
      node: this.nodes,
      input: this.inputs.map(valueInfo),
      output: this.outputs.map(valueInfo),
    }).finish()
    const tensors = this.initializers.map((init) => {
      const head = onnx.TensorProto.encode({ name: init.name, dims: init.dims, dataType: init.dataType }).finish()
      const rawLength = varint(init.data.length)
      return { head, rawLength, data: init.data, length: head.length + 1 + rawLength.length + init.data.length }
    })
    const graphLength = tensors.reduce((sum, t) => sum + 1 + varint(t.length).length + t.length, graphHead.length)
    const modelHead = onnx.ModelProto.encode({
      irVersion: IR_VERSION,
      producerName: producer,
      opsetImport: [{ domain: '', version: OPSET }],
    }).finish()
    const fd = openSync(path, 'w')
    let written = 0
    const put = (bytes: Uint8Array): void => {
      writeSync(fd, bytes)
      written += bytes.length
    }
    try {
      put(modelHead)
      put(Uint8Array.of(GRAPH_FIELD_TAG))
      put(varint(graphLength))
      put(graphHead)
      for (const tensor of tensors) {
        put(Uint8Array.of(INITIALIZER_FIELD_TAG))
        put(varint(tensor.length))
        put(tensor.head)
        put(Uint8Array.of(RAW_DATA_FIELD_TAG))
        put(tensor.rawLength)
        put(tensor.data)
      }
    } finally {
      closeSync(fd)
    }
    return written
  }
}
