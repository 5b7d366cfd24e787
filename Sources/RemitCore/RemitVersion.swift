/// The version of this Remit build.
public enum RemitVersion {
    /// Semantic version of the package.
    public static let string = "0.1.0"
    /// Version of the wire protocol (the `v1` in every domain tag).
    public static let protocolVersion = 1
}
