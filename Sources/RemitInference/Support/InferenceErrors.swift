public import RemitCore

extension RemitError.Code {
    /// A contribution whose content is already in the datanet (same BLAKE2b-256 content digest).
    public static let datanetDuplicate = Self("datanet.duplicate")
    /// A datanet folder that does not exist, is incomplete, or whose files disagree with each other.
    public static let datanetInvalid = Self("datanet.invalid")
    /// A contribution id the datanet does not hold (or no longer holds).
    public static let datanetUnknownContribution = Self("datanet.unknown_contribution")
    /// A datanet version that is not one of the datanet's recorded versions.
    public static let datanetUnknownVersion = Self("datanet.unknown_version")
    /// Content that cannot become a contribution (empty text, a row that is not numeric, a CSV without the target column).
    public static let datanetBadContent = Self("datanet.bad_content")
    /// An index file that is not a Remit index, is of another format version, or is damaged.
    public static let indexInvalid = Self("index.invalid")
    /// A corpus too large for the index format (more than 2^32 - 2 tokens).
    public static let indexTooLarge = Self("index.too_large")
    /// A model folder that is missing, incomplete or of an unknown kind.
    public static let modelInvalid = Self("model.invalid")
    /// A request of the wrong kind for the model, or with values outside their rules.
    public static let modelBadRequest = Self("model.bad_request")
    /// A model name or id the host does not know.
    public static let modelUnknown = Self("model.unknown")
    /// Replaying a receipt gave a different answer or attribution.
    public static let replayMismatch = Self("replay.mismatch")
    /// A receipt bundle that does not decode or whose parts do not belong together.
    public static let replayBadBundle = Self("replay.bad_bundle")
    /// A file that could not be read or written.
    public static let fileIO = Self("file.io")
}
