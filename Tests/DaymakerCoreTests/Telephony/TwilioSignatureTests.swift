import Foundation
import Testing

@testable import DaymakerCore

@Suite struct TwilioSignatureTests {
    /// Twilio's published example (its security documentation and every helper library's tests).
    let signer = TwilioSignature(authToken: "12345")
    let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    let parameters: [(name: String, value: String)] = [
        ("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"),
        ("From", "+14158675309"), ("To", "+18005551212"),
    ]
    let published = "RSOYDt4T1cUTdK1PDd93/VVr8B8="

    @Test func twiliosPublishedExampleSignsAndChecks() {
        #expect(signer.signature(url: url, parameters: parameters) == published)
        #expect(signer.isValid(published, url: url, parameters: parameters))
        // The order parameters arrive in does not matter; they are sorted by name.
        #expect(signer.isValid(published, url: url, parameters: parameters.reversed()))
    }

    @Test func anyChangeBreaksTheSignature() {
        #expect(!TwilioSignature(authToken: "12346").isValid(published, url: url, parameters: parameters))
        #expect(!signer.isValid(published, url: url + "&baz=3", parameters: parameters))
        #expect(!signer.isValid(published, url: "http://mycompany.com/myapp.php?foo=1&bar=2", parameters: parameters))
        var changed = parameters
        changed[2].value = "1235"
        #expect(!signer.isValid(published, url: url, parameters: changed))
        #expect(!signer.isValid(published, url: url, parameters: parameters + [("Added", "")]))
        #expect(!signer.isValid(published, url: url, parameters: Array(parameters.dropLast())))
        #expect(!signer.isValid("", url: url, parameters: parameters))
        #expect(!signer.isValid(String(published.dropLast()) + "A", url: url, parameters: parameters))
    }

    @Test func theURLIsTriedWithAndWithoutItsDefaultPort() {
        #expect(
            signer.isValid(published, url: "https://mycompany.com:443/myapp.php?foo=1&bar=2", parameters: parameters))
        let withPort = signer.signature(url: "https://mycompany.com:443/myapp.php?foo=1&bar=2", parameters: parameters)
        #expect(signer.isValid(withPort, url: url, parameters: parameters))
        // Any port is dropped for the second try, as Twilio's libraries do (it signs the address as configured).
        #expect(
            signer.isValid(published, url: "https://mycompany.com:8443/myapp.php?foo=1&bar=2", parameters: parameters))
        #expect(!signer.isValid(published, url: "https://mycompany.com:8443/myapp.php?foo=1", parameters: parameters))
        #expect(
            TwilioSignature.portVariants(of: "http://example.com/voice?program=RIDE") == [
                "http://example.com/voice?program=RIDE", "http://example.com:80/voice?program=RIDE",
            ])
    }

    @Test func aRepeatedNameSignsEachDistinctValueInOrder() {
        let repeated: [(name: String, value: String)] = [("b", "2"), ("a", "z"), ("a", "y"), ("a", "y")]
        #expect(
            signer.signature(url: "https://x.test/", parameters: repeated)
                == signer.signature(url: "https://x.test/", parameters: [("a", "y"), ("a", "z"), ("b", "2")]))
        #expect(
            signer.signature(url: "https://x.test/", parameters: repeated)
                != signer.signature(url: "https://x.test/", parameters: [("a", "z"), ("b", "2")]))
    }

    @Test func aJSONBodyIsCoveredByItsHashInTheURL() {
        let body = Array(#"{"property": "value", "boolean": true}"#.utf8)
        // Twilio's helper libraries' example: the body's SHA-256 in hex, and the URL signed alone.
        let hash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        let bodyURL = "https://mycompany.com/myapp.php?bodySHA256=\(hash)"
        let signature = signer.signature(url: bodyURL, parameters: [])
        #expect(signer.isValid(signature, url: bodyURL, parameters: [], body: body))
        #expect(!signer.isValid(signature, url: bodyURL, parameters: [], body: body + [0x20]))
    }

    @Test func formFieldsKeepEveryFieldDecoded() {
        let fields = FormFields.parse("CallSid=CA1&SpeechResult=Sarah+Lee&Caller=%2B14158675309&Empty=&a=1&a=2")
        #expect(fields.map(\.name) == ["CallSid", "SpeechResult", "Caller", "Empty", "a", "a"])
        #expect(fields.map(\.value) == ["CA1", "Sarah Lee", "+14158675309", "", "1", "2"])
    }

    @Test func twimlEscapesTextAndAttributes() {
        let document = TwiML([
            .init("Say", text: "Smith & Sons <support>"),
            .init("Redirect", [("method", "POST")], text: "/telephony/twilio/gather?program=A&b=\"c\""),
            .init("Leave"),
        ])
        #expect(
            document.xml
                == #"<?xml version="1.0" encoding="UTF-8"?><Response><Say>Smith &amp; Sons &lt;support&gt;</Say>"#
                + #"<Redirect method="POST">/telephony/twilio/gather?program=A&amp;b=&quot;c&quot;</Redirect>"#
                + "<Leave/></Response>")
    }
}
