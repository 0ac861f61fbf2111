#include "sheets/xml_reader.h"

#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/ContentHandler.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/LexicalHandler.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>

#include "sheets/errors.h"

namespace ppko::sheets {
namespace {

std::string_view local_part(std::string_view qname) {
    const auto colon = qname.find(':');
    return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

bool is_namespace_declaration(std::string_view qname) {
    return qname.substr(0, 5) == "xmlns" && (qname.size() == 5 || qname[5] == ':');
}

// Thrown by startDTD, caught around the parse: the refusal is reported with the source.
struct DoctypeSeen {};

class Adapter final : public Poco::XML::ContentHandler, public Poco::XML::LexicalHandler {
public:
    Adapter(XmlHandler& h, const XmlSource& source, const Limits& limits)
        : h_(h), source_(source), limits_(limits) {}

    void startElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&,
                      const Poco::XML::XMLString& qname, const Poco::XML::Attributes& attrs) override {
        if (++depth_ > limits_.max_xml_depth)
            detail::fail(ErrorId::sheet_too_large, source_.file, source_.where,
                         "элементы XML в части " + detail::q(source_.part) + " вложены глубже " +
                             std::to_string(limits_.max_xml_depth) + " уровней; такой файл не читается");
        h_.start(local_part(qname), XmlAttributes(attrs));
    }
    void endElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&,
                    const Poco::XML::XMLString& qname) override {
        --depth_;
        h_.end(local_part(qname));
    }
    void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
        h_.text(std::string_view(ch + start, static_cast<std::size_t>(length)));
    }
    void ignorableWhitespace(const Poco::XML::XMLChar ch[], int start, int length) override {
        characters(ch, start, length);
    }
    void setDocumentLocator(const Poco::XML::Locator*) override {}
    void startDocument() override {}
    void endDocument() override {}
    void processingInstruction(const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {}
    void startPrefixMapping(const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {}
    void endPrefixMapping(const Poco::XML::XMLString&) override {}
    void skippedEntity(const Poco::XML::XMLString&) override {}

    void startDTD(const Poco::XML::XMLString&, const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {
        throw DoctypeSeen{};
    }
    void endDTD() override {}
    void startEntity(const Poco::XML::XMLString&) override {}
    void endEntity(const Poco::XML::XMLString&) override {}
    void startCDATA() override {}
    void endCDATA() override {}
    void comment(const Poco::XML::XMLChar[], int, int) override {}

private:
    XmlHandler& h_;
    const XmlSource& source_;
    const Limits& limits_;
    std::uint32_t depth_ = 0;
};

}  // namespace

const std::string* XmlAttributes::find(std::string_view local_name) const {
    for (int i = 0, n = a_.getLength(); i < n; ++i) {
        const std::string& qname = a_.getQName(i);
        if (local_part(qname) == local_name && !is_namespace_declaration(qname)) return &a_.getValue(i);
    }
    return nullptr;
}

std::string_view XmlAttributes::get(std::string_view local_name, std::string_view fallback) const {
    const std::string* v = find(local_name);
    return v ? std::string_view(*v) : fallback;
}

bool XmlAttributes::has(std::string_view local_name) const { return find(local_name) != nullptr; }

void parse_xml(std::istream& in, XmlHandler& handler, const XmlSource& source, const Limits& limits) {
    Adapter adapter(handler, source, limits);
    Poco::XML::SAXParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACE_PREFIXES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
    parser.setContentHandler(&adapter);
    parser.setProperty(Poco::XML::XMLReader::PROPERTY_LEXICAL_HANDLER,
                       static_cast<Poco::XML::LexicalHandler*>(&adapter));
    Poco::XML::InputSource input(in);
    try {
        parser.parse(&input);
    } catch (const DoctypeSeen&) {
        detail::fail(ErrorId::sheet_unsafe, source.file, source.where,
                     "часть " + detail::q(source.part) +
                         " содержит объявление DOCTYPE, которого в книгах Excel не бывает (через него XML может "
                         "раскрывать сущности без конца или читать другие файлы); такой файл не читается");
    } catch (const Poco::XML::SAXParseException& e) {
        // expat's text ("Tag mismatch"), without the position Poco appends to it; expat counts
        // columns from 0, in bytes.
        std::string what = e.message();
        if (const auto at = what.find(" in line "); at != std::string::npos) what.resize(at);
        detail::fail(ErrorId::sheet_corrupt, source.file, source.where,
                     "файл повреждён: часть " + detail::q(source.part) + ", строка " +
                         std::to_string(e.getLineNumber()) + ", столбец " + std::to_string(e.getColumnNumber() + 1) +
                         ": ошибка в записи XML (" + what + ")");
    } catch (const Poco::Exception& e) {
        detail::fail(ErrorId::sheet_corrupt, source.file, source.where,
                     "файл повреждён: часть " + detail::q(source.part) + " не читается как XML (" + e.displayText() + ")");
    }
}

}  // namespace ppko::sheets
