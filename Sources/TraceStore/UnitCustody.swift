import AgriTrace
import Foundation

/// Where a logistic unit (SSCC) is after a step that moves it: packed or received by a party,
/// on its way to one, or unpacked. ``EventRecorder`` ships and unpacks only what this party
/// holds; ``Stock`` lists what it holds.
enum UnitCustody: Equatable {
    case held(by: String?)
    case inTransit(to: String?)
    case unpacked

    /// Where the unit is after `event`, or nil when the event does not move it (an inspection):
    /// of the steps that move a unit, the last on it says where it is.
    static func after(_ event: EPCISEvent) -> UnitCustody? {
        switch event.bizStepWord {
        case "shipping": .inTransit(to: event.destinationGLN)
        case "receiving": .held(by: event.destinationGLN)
        case "packing": .held(by: event.locationGLN)
        case "unpacking": .unpacked
        default: nil
        }
    }
}
