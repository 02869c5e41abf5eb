package io.imagegate.report;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Jenkins' JUnit schema ({@code shared/schemas/junit/junit-10.xsd}), found like {@link SarifSchema},
 * applied with the JDK's {@code javax.xml.validation}.
 */
public final class JUnitSchema {
  static final String FILE = "schemas/junit/junit-10.xsd";

  private static Schema schema;

  private JUnitSchema() {}

  /** The schema file; fails, naming where it looked, when there is none. */
  public static Path file() {
    return SharedFiles.find(FILE);
  }

  /** Every error and fatal error the validator reports for {@code xml}; empty when it is valid. */
  public static synchronized List<String> validate(String xml) throws IOException {
    if (schema == null) {
      try {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        schema = factory.newSchema(file().toFile());
      } catch (SAXException e) {
        throw new IllegalStateException("cannot load " + file() + ": " + e.getMessage(), e);
      }
    }
    List<String> errors = new ArrayList<>();
    Validator validator = schema.newValidator();
    validator.setErrorHandler(new ErrorHandler() {
      @Override
      public void warning(SAXParseException e) {
        // warnings don't make a document invalid
      }

      @Override
      public void error(SAXParseException e) {
        errors.add(e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
      }

      @Override
      public void fatalError(SAXParseException e) {
        errors.add(e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
      }
    });
    try {
      validator.validate(new StreamSource(new StringReader(xml)));
    } catch (SAXException e) {
      if (errors.isEmpty()) {
        errors.add(e.getMessage());
      }
    }
    return errors;
  }
}
