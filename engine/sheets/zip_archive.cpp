#include "sheets/zip_archive.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "sheets/errors.h"

namespace ppko::sheets {
namespace {

using detail::fail;
using detail::q;

constexpr std::uint32_t kLocalSig = 0x04034b50, kCentralSig = 0x02014b50, kEndSig = 0x06054b50;
constexpr std::uint32_t kEnd64Sig = 0x06064b50, kLocator64Sig = 0x07064b50;
constexpr std::size_t kEndSize = 22, kCentralSize = 46, kLocalSize = 30, kLocator64Size = 20;
constexpr std::size_t kEnd64Size = 56;

std::uint16_t get16(std::string_view s, std::uint64_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                      static_cast<unsigned char>(s[at + 1]) << 8);
}
std::uint32_t get32(std::string_view s, std::uint64_t at) {
    return get16(s, at) | static_cast<std::uint32_t>(get16(s, at + 2)) << 16;
}
std::uint64_t get64(std::string_view s, std::uint64_t at) {
    return get32(s, at) | static_cast<std::uint64_t>(get32(s, at + 4)) << 32;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string key_of(std::string_view name) {
    if (!name.empty() && name.front() == '/') name.remove_prefix(1);
    return lower_ascii(name);
}

[[noreturn]] void corrupt(const std::string& file, const std::string& what) {
    fail(ErrorId::sheet_corrupt, file, {}, "файл повреждён: " + what);
}

// The ZIP64 values of a central-directory entry: each field that holds 0xFFFFFFFF in the header
// is read, in this order, from the extra field with id 0x0001. Extra fields are walked with
// every length checked against what is left.
void read_zip64_extra(std::string_view extra, std::uint64_t& size, std::uint64_t& packed,
                      std::uint64_t& offset, const std::string& file, const std::string& name) {
    std::size_t at = 0;
    while (at + 4 <= extra.size()) {
        const std::uint16_t id = get16(extra, at), len = get16(extra, at + 2);
        at += 4;
        if (len > extra.size() - at) corrupt(file, "у части " + q(name) + " неверное дополнительное поле");
        if (id == 0x0001) {
            std::size_t p = at;
            for (std::uint64_t* v : {&size, &packed, &offset}) {
                if (*v != 0xFFFFFFFFu) continue;
                if (p + 8 > at + len) corrupt(file, "у части " + q(name) + " неполное поле ZIP64");
                *v = get64(extra, p);
                p += 8;
            }
            return;
        }
        at += len;
    }
    if (size == 0xFFFFFFFFu || packed == 0xFFFFFFFFu || offset == 0xFFFFFFFFu)
        corrupt(file, "у части " + q(name) + " нет поля ZIP64 с её размерами");
}

}  // namespace

// ---- The stream of one part -------------------------------------------------------------------

class ZipArchive::PartBuf : public std::streambuf {
public:
    PartBuf(ZipArchive& zip, const Entry& e)
        : zip_(zip), entry_(e), packed_(zip.bytes_.substr(e.data, e.packed_size)) {
        if (e.method == 8) {
            zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed_.data()));
            zs_.avail_in = 0;
            if (inflateInit2(&zs_, -MAX_WBITS) != Z_OK)
                throw Error(ErrorId::internal, zip.file_, {}, {}, "zlib: inflateInit2");
            inflating_ = true;
        }
    }
    ~PartBuf() override {
        if (inflating_) inflateEnd(&zs_);
    }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (done_) return traits_type::eof();
        std::size_t n = 0;
        if (entry_.method == 0) {
            // Stored: the bytes are handed out in place, a slice at a time.
            n = std::min<std::size_t>(kChunk, packed_.size() - consumed_);
            const char* p = packed_.data() + consumed_;
            consumed_ += n;
            produced(p, n);
            setg(const_cast<char*>(p), const_cast<char*>(p), const_cast<char*>(p) + n);
            if (consumed_ == packed_.size()) finish();
        } else {
            n = inflate_some();
            setg(buffer_, buffer_, buffer_ + n);
        }
        if (n == 0) return traits_type::eof();
        return traits_type::to_int_type(*gptr());
    }

private:
    static constexpr std::size_t kChunk = 64 * 1024;

    // Inflates up to one buffer; 0 only at the end of the part.
    std::size_t inflate_some() {
        zs_.next_out = reinterpret_cast<Bytef*>(buffer_);
        zs_.avail_out = kChunk;
        while (zs_.avail_out > 0) {
            if (zs_.avail_in == 0 && consumed_ < packed_.size()) {
                const std::size_t n = std::min<std::size_t>(1u << 30, packed_.size() - consumed_);
                zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed_.data() + consumed_));
                zs_.avail_in = static_cast<uInt>(n);
                consumed_ += n;
            }
            const int rc = inflate(&zs_, Z_NO_FLUSH);
            if (rc == Z_STREAM_END) {
                const std::size_t n = kChunk - zs_.avail_out;
                produced(buffer_, n);
                finish();
                return n;
            }
            if (rc == Z_BUF_ERROR && zs_.avail_in == 0 && consumed_ == packed_.size())
                corrupt(zip_.file_, "часть " + q(entry_.name) + " обрывается раньше конца сжатых данных");
            if (rc != Z_OK)
                corrupt(zip_.file_, "часть " + q(entry_.name) + " не распаковывается (zlib: " +
                                        (zs_.msg ? zs_.msg : zError(rc)) + ")");
        }
        produced(buffer_, kChunk);
        return kChunk;
    }

    // Counts `n` new bytes against the part's declared size and the archive's total.
    void produced(const char* p, std::size_t n) {
        size_ += n;
        zip_.total_read_ += n;
        if (size_ > entry_.size)
            corrupt(zip_.file_, "часть " + q(entry_.name) +
                                    " распаковывается в большее число байт, чем записано в оглавлении архива");
        if (zip_.total_read_ > zip_.limits_.max_total_bytes)
            fail(ErrorId::sheet_too_large, zip_.file_, {},
                 "распакованные части книги занимают больше " + detail::size_text(zip_.limits_.max_total_bytes) +
                     "; такой файл не читается");
        crc_ = crc32_z(crc_, reinterpret_cast<const Bytef*>(p), n);
    }

    void finish() {
        done_ = true;
        if (size_ != entry_.size)
            corrupt(zip_.file_, "часть " + q(entry_.name) + " короче, чем записано в оглавлении архива");
        if (crc_ != entry_.crc)
            corrupt(zip_.file_, "контрольная сумма части " + q(entry_.name) + " не совпадает");
    }

    ZipArchive& zip_;
    const Entry& entry_;
    std::string_view packed_;
    std::size_t consumed_ = 0;
    std::uint64_t size_ = 0;
    uLong crc_ = crc32_z(0, nullptr, 0);
    bool done_ = false, inflating_ = false;
    z_stream zs_{};
    char buffer_[kChunk];
};

namespace {

// An istream that owns its PartBuf; reading errors (ppko::Error) pass through as they are.
class PartStream : public std::istream {
public:
    explicit PartStream(std::unique_ptr<std::streambuf> buf) : std::istream(nullptr), buf_(std::move(buf)) {
        rdbuf(buf_.get());
        exceptions(std::ios::badbit);
    }

private:
    std::unique_ptr<std::streambuf> buf_;
};

}  // namespace

// ---- The central directory --------------------------------------------------------------------

ZipArchive::ZipArchive(std::string_view bytes, std::string file, const Limits& limits)
    : bytes_(bytes), file_(std::move(file)), limits_(limits) {
    const std::string_view s = bytes_;
    if (s.size() < kEndSize) corrupt(file_, "это не книга Excel (.xlsx): файл слишком короткий для архива ZIP");
    // The end record: the last signature within the 64 KiB a comment may take.
    std::uint64_t end = s.size() - kEndSize;
    const std::uint64_t lowest = s.size() > kEndSize + 0xFFFF ? s.size() - kEndSize - 0xFFFF : 0;
    while (get32(s, end) != kEndSig) {
        if (end == lowest)
            corrupt(file_, "не найдено оглавление архива ZIP (файл обрезан или это не книга .xlsx)");
        --end;
    }
    if (get16(s, end + 4) != 0 || get16(s, end + 6) != 0)
        fail(ErrorId::sheet_corrupt, file_, {}, "многотомные архивы ZIP не поддерживаются");
    std::uint64_t count = get16(s, end + 10);
    std::uint64_t cd_size = get32(s, end + 12), cd_offset = get32(s, end + 16);
    if (count == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_offset == 0xFFFFFFFFu) {
        // ZIP64: the locator just before the end record points at the ZIP64 end record.
        if (end < kLocator64Size || get32(s, end - kLocator64Size) != kLocator64Sig)
            corrupt(file_, "нет записи ZIP64 об оглавлении архива");
        const std::uint64_t at = get64(s, end - kLocator64Size + 8);
        if (at > s.size() || s.size() - at < kEnd64Size || get32(s, at) != kEnd64Sig)
            corrupt(file_, "запись ZIP64 об оглавлении архива указывает за пределы файла");
        count = get64(s, at + 32);
        cd_size = get64(s, at + 40);
        cd_offset = get64(s, at + 48);
    }
    if (count > limits_.max_entries)
        fail(ErrorId::sheet_too_large, file_, {},
             "в архиве " + detail::count_text(count) + " частей, а читается не больше " +
                 detail::count_text(limits_.max_entries) + "; такой файл не читается");
    if (cd_offset > s.size() || cd_size > s.size() - cd_offset)
        corrupt(file_, "оглавление архива ZIP выходит за конец файла (файл обрезан?)");

    entries_.reserve(count);
    std::uint64_t at = cd_offset;
    const std::uint64_t cd_end = cd_offset + cd_size;
    for (std::uint64_t i = 0; i < count; ++i) {
        if (cd_end - at < kCentralSize || get32(s, at) != kCentralSig)
            corrupt(file_, "оглавление архива ZIP испорчено (запись " + std::to_string(i + 1) + ")");
        const std::uint16_t flags = get16(s, at + 8);
        Entry e;
        e.method = get16(s, at + 10);
        e.crc = get32(s, at + 16);
        e.packed_size = get32(s, at + 20);
        e.size = get32(s, at + 24);
        const std::uint16_t name_len = get16(s, at + 28), extra_len = get16(s, at + 30),
                            comment_len = get16(s, at + 32);
        std::uint64_t local = get32(s, at + 42);
        if (cd_end - at - kCentralSize < std::uint64_t{name_len} + extra_len + comment_len)
            corrupt(file_, "оглавление архива ZIP испорчено (запись " + std::to_string(i + 1) + ")");
        e.name = std::string(s.substr(at + kCentralSize, name_len));
        read_zip64_extra(s.substr(at + kCentralSize + name_len, extra_len), e.size, e.packed_size, local,
                         file_, e.name);
        at += kCentralSize + name_len + extra_len + comment_len;

        if (flags & 0x0041)  // traditional (bit 0) or strong (bit 6) encryption
            fail(ErrorId::sheet_encrypted, file_, {},
                 "часть " + q(e.name) + " архива зашифрована; сохраните книгу без пароля и повторите");
        if (local > s.size() || s.size() - local < kLocalSize || get32(s, local) != kLocalSig)
            corrupt(file_, "часть " + q(e.name) + " не найдена там, где её указывает оглавление архива");
        const std::uint64_t data = local + kLocalSize + get16(s, local + 26) + get16(s, local + 28);
        if (data > s.size() || e.packed_size > s.size() - data)
            corrupt(file_, "часть " + q(e.name) + " выходит за конец файла (файл обрезан?)");
        e.data = data;
        if (!by_name_.emplace(key_of(e.name), entries_.size()).second)
            corrupt(file_, "часть " + q(e.name) + " встречается в архиве дважды");
        entries_.push_back(std::move(e));
    }
    // No two entries may share compressed bytes (overlapping entries are how a small archive
    // claims many large parts).
    std::vector<const Entry*> by_offset;
    by_offset.reserve(entries_.size());
    for (const Entry& e : entries_) by_offset.push_back(&e);
    std::sort(by_offset.begin(), by_offset.end(), [](auto* a, auto* b) { return a->data < b->data; });
    for (std::size_t i = 1; i < by_offset.size(); ++i)
        if (by_offset[i - 1]->data + by_offset[i - 1]->packed_size > by_offset[i]->data &&
            by_offset[i - 1]->packed_size > 0)
            corrupt(file_, "части " + q(by_offset[i - 1]->name) + " и " + q(by_offset[i]->name) +
                               " занимают одно и то же место в архиве");
}

ZipArchive::~ZipArchive() = default;

bool ZipArchive::contains(std::string_view name) const { return by_name_.count(key_of(name)) != 0; }

std::vector<std::string> ZipArchive::names() const {
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const Entry& e : entries_) out.push_back(e.name);
    return out;
}

const ZipArchive::Entry& ZipArchive::entry(std::string_view name) const {
    const auto it = by_name_.find(key_of(name));
    if (it == by_name_.end()) corrupt(file_, "в архиве нет части " + q(name));
    return entries_[it->second];
}

std::unique_ptr<std::istream> ZipArchive::open(std::string_view name) {
    const Entry& e = entry(name);
    if (e.method != 0 && e.method != 8)
        fail(ErrorId::sheet_corrupt, file_, {},
             "часть " + q(e.name) + " сжата методом " + std::to_string(e.method) +
                 ", а поддерживаются только Deflate и хранение без сжатия; пересохраните книгу в Excel или LibreOffice");
    if (e.method == 0 && e.packed_size != e.size)
        corrupt(file_, "у несжатой части " + q(e.name) + " не совпадают размеры");
    if (e.size > limits_.max_part_bytes)
        fail(ErrorId::sheet_too_large, file_, {},
             "часть " + q(e.name) + " занимает " + detail::size_text(e.size) +
                 " в распакованном виде, больше предела " + detail::size_text(limits_.max_part_bytes) +
                 "; такой файл не читается");
    if (e.size > limits_.ratio_floor_bytes && e.size / std::max<std::uint64_t>(e.packed_size, 1) > limits_.max_ratio)
        fail(ErrorId::sheet_too_large, file_, {},
             "часть " + q(e.name) + " распаковывается в " +
                 detail::count_text(e.size / std::max<std::uint64_t>(e.packed_size, 1)) +
                 " раз больше своего сжатого размера (предел — " + std::to_string(limits_.max_ratio) +
                 "): файл похож на «zip-бомбу» и не читается");
    if (limits_.max_total_bytes - std::min(total_read_, limits_.max_total_bytes) < e.size)
        fail(ErrorId::sheet_too_large, file_, {},
             "распакованные части книги занимают больше " + detail::size_text(limits_.max_total_bytes) +
                 "; такой файл не читается");
    return std::make_unique<PartStream>(std::make_unique<PartBuf>(*this, e));
}

std::string ZipArchive::read(std::string_view name) {
    auto in = open(name);
    std::string out;
    out.reserve(static_cast<std::size_t>(entry(name).size));
    char buf[16384];
    while (in->read(buf, sizeof buf) || in->gcount() > 0) out.append(buf, static_cast<std::size_t>(in->gcount()));
    return out;
}

}  // namespace ppko::sheets
