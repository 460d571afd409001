/// Every route the emulator serves, in matching order.
enum Routes {
    static func table() -> RouteTable {
        var table = RouteTable()
        ControlRoutes.register(&table)
        LocationRoutes.register(&table)
        SecurityRoutes.register(&table)
        IdentityRoutes.register(&table)
        GraphRoutes.register(&table)
        CoreRoutes.register(&table)
        GitRoutes.register(&table)
        BuildRoutes.register(&table)
        ServiceEndpointRoutes.register(&table)
        WikiRoutes.register(&table)
        WorkItemRoutes.register(&table)
        return table
    }
}
