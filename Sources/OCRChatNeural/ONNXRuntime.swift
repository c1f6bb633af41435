import CONNXRuntime
import Foundation

/// What can go wrong below the neural recogniser: the library, a model file, a run.
public enum NeuralError: Error, Equatable, Sendable, CustomStringConvertible {
    /// libonnxruntime is not installed where it was looked for, or could not be opened.
    case runtimeUnavailable(detail: String)
    /// A model file is missing, corrupt, or not the one whose checksum is recorded.
    case modelUnavailable(file: String, detail: String)
    /// ONNX Runtime refused a call; `call` names it.
    case runFailed(call: String, detail: String)

    public var description: String {
        switch self {
        case .runtimeUnavailable(let detail): return "ONNX Runtime is not available: \(detail)"
        case .modelUnavailable(let file, let detail): return "the model \(file) cannot be used: \(detail)"
        case .runFailed(let call, let detail): return "ONNX Runtime \(call) failed: \(detail)"
        }
    }
}

/// Takes the message a C call left and frees it.
private func takeMessage(_ message: UnsafeMutablePointer<CChar>?) -> String {
    guard let message else { return "no message" }
    defer { connxruntime_string_free(message) }
    return String(cString: message)
}

/// The process's one ONNX Runtime: the library opened with `dlopen` and its environment.
///
/// Lives as long as the process (ONNX Runtime does not like to be unloaded).
final class ONNXRuntime: @unchecked Sendable {
    private let runtime: OpaquePointer
    /// The library's version (`1.32.0`).
    let version: String
    /// Where the library was loaded from.
    let libraryPath: String

    init(libraryPath: String) throws {
        var runtime: OpaquePointer?
        var message: UnsafeMutablePointer<CChar>?
        let status = connxruntime_open(libraryPath, &runtime, &message)
        guard status == CONNXRUNTIME_OK, let runtime else {
            throw NeuralError.runtimeUnavailable(detail: takeMessage(message))
        }
        self.runtime = runtime
        self.version = String(cString: connxruntime_version(runtime))
        self.libraryPath = libraryPath
    }

    deinit {
        connxruntime_close(runtime)
    }

    /// Loads a model with one thread for each run: parallelism comes from pages on several threads.
    func session(model path: String) throws -> ONNXSession {
        var session: OpaquePointer?
        var message: UnsafeMutablePointer<CChar>?
        let status = connxruntime_session_open(runtime, path, 1, &session, &message)
        guard status == CONNXRUNTIME_OK, let session else {
            throw NeuralError.modelUnavailable(file: (path as NSString).lastPathComponent, detail: takeMessage(message))
        }
        return ONNXSession(session: session, runtime: self)
    }
}

/// A float tensor: its values in row-major order and its shape.
struct Tensor: Sendable {
    var values: [Float]
    var shape: [Int]
}

/// One loaded model. ONNX Runtime allows concurrent runs on one session, so the threads of a
/// process share it.
final class ONNXSession: @unchecked Sendable {
    private let session: OpaquePointer
    private let runtime: ONNXRuntime  // kept alive as long as its sessions

    fileprivate init(session: OpaquePointer, runtime: ONNXRuntime) {
        self.session = session
        self.runtime = runtime
    }

    deinit {
        connxruntime_session_free(session)
    }

    /// A value of the model's custom metadata, nil when it has none for `key`.
    func metadata(_ key: String) throws -> String? {
        var value: UnsafeMutablePointer<CChar>?
        var message: UnsafeMutablePointer<CChar>?
        guard connxruntime_session_metadata(session, key, &value, &message) == CONNXRUNTIME_OK else {
            throw NeuralError.runFailed(call: "metadata", detail: takeMessage(message))
        }
        guard let value else { return nil }
        defer { connxruntime_string_free(value) }
        return String(cString: value)
    }

    /// Runs the model on `input` (its shape in `shape`) and returns its first output; with
    /// `argmax`, the output's last axis reduced to (index of the largest value, that value).
    func run(_ input: [Float], shape: [Int], argmax: Bool = false) throws -> Tensor {
        precondition(shape.reduce(1, *) == input.count, "the input's shape does not match its values")
        var output = CONNXRuntimeTensor()
        var message: UnsafeMutablePointer<CChar>?
        let dimensions = shape.map(Int64.init)
        let status = input.withUnsafeBufferPointer { values in
            dimensions.withUnsafeBufferPointer { dims in
                argmax
                    ? connxruntime_session_run_argmax(session, values.baseAddress, dims.baseAddress, dims.count, &output, &message)
                    : connxruntime_session_run(session, values.baseAddress, dims.baseAddress, dims.count, &output, &message)
            }
        }
        guard status == CONNXRUNTIME_OK else { throw NeuralError.runFailed(call: "Run", detail: takeMessage(message)) }
        defer { connxruntime_tensor_free(&output) }
        let rank = Int(output.rank)
        let outputShape = withUnsafeBytes(of: output.shape) { raw in
            Array(raw.bindMemory(to: Int64.self).prefix(rank)).map(Int.init)
        }
        let values = Array(UnsafeBufferPointer(start: output.data, count: Int(output.count)))
        return Tensor(values: values, shape: outputShape)
    }
}
