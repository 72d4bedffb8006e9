import HTTPTypes

/// The route a request was matched to, as the two numbers every stage's table is indexed by: the
/// template's place in ``templates`` and the method's in ``methods``.
///
/// Worked out once per request by ``RequestLifecycleMiddleware``, from the template the router
/// reports: the access rule, the metrics series, the key path rule and the rate limit's probe
/// exemption each looked the template up by its string before, a hash of it each (1,900
/// instructions a request, `scripts/bench/callgrind.sh`).
struct MatchedRoute: Sendable, Equatable {
    /// The methods a route may be declared for, in the order of ``method``; any other is `methods.count`.
    static let methods: [HTTPRequest.Method] = [.get, .head, .put, .post, .delete, .patch, .options]
    /// Every distinct template of ``RouteTable``, in table order.
    static let templates = RouteTable.allTemplates
    private static let templateIndex = Dictionary(uniqueKeysWithValues: templates.enumerated().map { ($1, $0) })
    /// By template: a KV route, whose raw path ``KeyPathRule`` checks.
    private static let keyRoutes = templates.map(RouteTable.keyTemplates.contains)
    /// By template: a route a kubelet probes (never rate limited).
    private static let probes = templates.map { template in RouteTable.all.contains { $0.path == template && $0.isProbe } }

    /// Whether the router matched a route at all (a request it did not is answered 404).
    let isMatched: Bool
    /// The template's place in ``templates``; nil when nothing matched, or a template the table lacks.
    let template: Int?
    /// The method's place in ``methods``, `methods.count` for any other method.
    let method: Int

    init(template: String?, method: HTTPRequest.Method) {
        isMatched = template != nil
        self.template = template.flatMap { Self.templateIndex[$0] }
        self.method = Self.index(of: method)
    }

    static func index(of method: HTTPRequest.Method) -> Int {
        switch method {
        case .get: 0
        case .head: 1
        case .put: 2
        case .post: 3
        case .delete: 4
        case .patch: 5
        case .options: 6
        default: methods.count
        }
    }

    static func index(ofTemplate template: String) -> Int? { templateIndex[template] }

    /// The places of `GET` and `HEAD` (a `HEAD` follows its `GET`'s rule).
    static let getIndex = index(of: .get)
    static let headIndex = index(of: .head)

    var isKeyRoute: Bool { template.map { Self.keyRoutes[$0] } ?? false }
    var isProbe: Bool { template.map { Self.probes[$0] } ?? false }
}
