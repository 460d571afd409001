/// Security namespace ids adoperm reasons about. Bits and names always come from the live namespace definitions;
/// only the ids are fixed (names repeat across namespaces, display names are often null).
public enum NamespaceID {
    public static let git = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87"
    public static let build = "33344d9c-fc72-4d6f-aba5-fa317101a7e9"
    public static let css = "83e28ad4-2d72-4ceb-97b0-c7726d5502c3"
    public static let iteration = "bf7bfa03-b2b7-47db-8113-fa2e002cc5b1"
    public static let project = "52d39943-cb85-4d7f-8fa8-c6baac873819"
    public static let collection = "3e65f728-f8bc-4ecd-8764-7e378b19bfa7"
    public static let process = "2dab47f9-bd70-49ed-9bd5-8eb051e59c02"
    public static let serviceEndpoints = "49b48001-ca20-4adc-8111-5b60c903a50c"
    public static let identity = "5a27515b-ccd7-42c9-84f1-54c998f03866"
    public static let buildAdministration = "302acaca-b667-436d-a946-87133492041c"
    public static let library = "b7e84409-6553-448a-bbb2-af228e07cbeb"
    public static let tagging = "bb50f182-8e5e-40b8-bc21-e8752a1e7ae2"
}
