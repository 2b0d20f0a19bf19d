import AgriTrace
import Foundation

/// The GeoJSON geometries (RFC 7946) a plot may have: a Point, a Polygon or a MultiPolygon, with
/// positions of longitude then latitude in range, and polygon rings closed and of at least four
/// positions. A plot's geometry goes into every harvest record of it, to buyers who map it.
enum GeoJSONGeometry {
    /// What is wrong with `text` as a plot geometry, or nil when nothing is.
    static func problem(in text: String) -> String? {
        guard let value = try? JSONValue.parse(Data(text.utf8), maxValues: 1_000_000), case .object(let members) = value,
              case .string(let type)? = members["type"], let coordinates = members["coordinates"] else {
            return "must be a GeoJSON Point, Polygon or MultiPolygon with coordinates"
        }
        switch type {
        case "Point":
            return position(coordinates, at: "coordinates")
        case "Polygon":
            return polygon(coordinates, at: "coordinates")
        case "MultiPolygon":
            guard case .array(let polygons) = coordinates, !polygons.isEmpty else { return "coordinates must be a list of polygons" }
            for (index, item) in polygons.enumerated() {
                if let problem = polygon(item, at: "coordinates[\(index)]") { return problem }
            }
            return nil
        default:
            return "type \(type.prefix(40)) is not Point, Polygon or MultiPolygon"
        }
    }

    /// `[longitude, latitude]`, or with an altitude after them.
    private static func position(_ value: JSONValue, at path: String) -> String? {
        guard case .array(let numbers) = value, (2...3).contains(numbers.count),
              numbers.allSatisfy({ if case .number = $0 { true } else { false } }),
              case .number(let longitude) = numbers[0], case .number(let latitude) = numbers[1] else {
            return "\(path) must be [longitude, latitude] in numbers"
        }
        guard (-180...180).contains(longitude), (-90...90).contains(latitude) else {
            return "\(path): longitude must be -180 to 180 and latitude -90 to 90, not \(longitude), \(latitude)"
        }
        return nil
    }

    /// A list of linear rings: the outline first, then any holes.
    private static func polygon(_ value: JSONValue, at path: String) -> String? {
        guard case .array(let rings) = value, !rings.isEmpty else { return "\(path) must be a list of linear rings" }
        for (ringIndex, ring) in rings.enumerated() {
            let ringPath = "\(path)[\(ringIndex)]"
            guard case .array(let positions) = ring, positions.count >= 4 else { return "\(ringPath) must be a ring of at least four positions" }
            for (index, item) in positions.enumerated() {
                if let problem = position(item, at: "\(ringPath)[\(index)]") { return problem }
            }
            guard positions.first == positions.last else { return "\(ringPath) must end at the position it starts at (a closed ring)" }
        }
        return nil
    }
}
