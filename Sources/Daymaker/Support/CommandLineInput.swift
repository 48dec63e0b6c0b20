import Vapor

/// Helpers shared by the command-line tools.
enum CommandLineInput {
    /// Splits `RIDE,UTIL` or `"read write"` into values.
    static func list(_ raw: String?) -> [String] {
        (raw ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }

    /// Reads a secret from standard input: a hidden prompt on a terminal, the first line of a pipe otherwise.
    static func secret(prompt: String, console: any Console) -> String? {
        if isatty(FileHandle.standardInput.fileDescriptor) != 0 {
            console.output(ConsoleText(stringLiteral: prompt), newLine: false)
            return console.input(isSecure: true)
        }
        return readLine(strippingNewline: true)
    }

    /// Prints a problem readably and turns it into a failing exit.
    static func fail(_ problem: Problem, console: any Console) -> any Error {
        console.error(problem.detail)
        for error in problem.errors ?? [] { console.error("  \(error.field): \(error.detail)") }
        return ExitCode.failure
    }
}

/// A non-zero exit without a second error message.
public enum ExitCode: Error { case failure }
