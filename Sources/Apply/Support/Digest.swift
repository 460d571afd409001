import Crypto
import Foundation

/// SHA-256 (lower-case hex) of a text's UTF-8 bytes: the digest plans use for agent files (`Fingerprint.file`).
func sha256(of text: String) -> String { sha256(of: Data(text.utf8)) }

func sha256(of data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
