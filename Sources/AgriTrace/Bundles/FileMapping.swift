import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Read-only private file mappings for bundles. Foundation's `.alwaysMapped` may copy instead
/// of mapping; handing pages back with `madvise` is only safe on a real file mapping, so this
/// maps the file itself and unmaps it when the last `Data` slice goes.
enum FileMapping {
    struct Failure: Error, LocalizedError {
        var errorDescription: String?
    }

    static func map(_ url: URL) throws -> Data {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(errorDescription: String(cString: strerror(errno))) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw Failure(errorDescription: String(cString: strerror(errno))) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw Failure(errorDescription: "not a regular file") }
        let size = Int(status.st_size)
        guard size > 0 else { return Data() }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw Failure(errorDescription: String(cString: strerror(errno)))
        }
        return Data(bytesNoCopy: address, count: size, deallocator: .custom { pointer, count in munmap(pointer, count) })
    }

    /// `MADV_DONTNEED` on the whole pages of `mapping` before `offset`.
    static func release(_ mapping: UnsafeRawBufferPointer, upTo offset: Int) {
        guard let base = mapping.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = min(offset, mapping.count) / page * page
        if length > 0 { madvise(UnsafeMutableRawPointer(mutating: base), length, MADV_DONTNEED) }
    }
}
