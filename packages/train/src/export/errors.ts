/** The error of the exporters and importers (ONNX, safetensors). */
import { TrainError } from '../errors.js';

/**
 * A model cannot be expressed in a format (`toOnnx` on an activation ONNX has no operator for), or a
 * file does not decode (`fromSafetensors` on a truncated header). `piece` names the offending part:
 * `layers[2].activation`, `header.tensors["0.weight"].data_offsets`.
 *
 * @example
 * ```ts
 * try { fromSafetensors(bytes); } catch (e) { if (e instanceof ExportError) console.log(e.piece); }
 * ```
 */
export class ExportError extends TrainError {
  override name = 'ExportError';
  constructor(
    message: string,
    /** The offending piece of the model or file. */
    readonly piece: string,
  ) {
    super(message);
  }
}
