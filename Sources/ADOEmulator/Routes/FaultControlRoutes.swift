/// `/{org}/_emulator/faults`: read, replace, extend or clear the fault rules while the emulator runs, so a test
/// can arm a fault for exactly the request it is about (e.g. the 3rd write of an apply). Bodies use the fault-file
/// format (YAML or JSON); counters of replaced or added rules start at zero.
enum FaultControlRoutes {
    static func register(_ table: inout RouteTable) {
        table.add("GET", "/{org}/_emulator/faults", access: .control) { _, context in
            ControlRoutes.controlJSON(await context.services.faults.report())
        }
        table.add("PUT", "/{org}/_emulator/faults", access: .control) { request, context in
            switch parse(request) {
            case .success(let plan):
                await context.services.faults.replace(with: plan)
                return ControlRoutes.controlJSON(await context.services.faults.report())
            case .failure(let error):
                return ControlRoutes.controlError(400, error.description)
            }
        }
        table.add("POST", "/{org}/_emulator/faults", access: .control) { request, context in
            switch parse(request) {
            case .success(let plan):
                await context.services.faults.append(plan.rules)
                return ControlRoutes.controlJSON(await context.services.faults.report())
            case .failure(let error):
                return ControlRoutes.controlError(400, error.description)
            }
        }
        table.add("DELETE", "/{org}/_emulator/faults", access: .control) { _, context in
            await context.services.faults.replace(with: FaultPlan())
            return EmulatorResponse(status: 204)
        }
    }

    private static func parse(_ request: EmulatorRequest) -> Result<FaultPlan, FaultPlanError> {
        let text = String(decoding: request.body, as: UTF8.self)
        return Result { () throws(FaultPlanError) in try FaultPlan.parse(text, file: "request body") }
    }
}
