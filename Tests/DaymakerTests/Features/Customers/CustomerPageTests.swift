import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

@Suite struct CustomerPageTests {
    @Test func searchPageFindsByAnyFormatAndLinksToTheCustomer() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var browser = try await BrowserSession.start(app, email: "rep@test.example")
            let page = try await browser.get(app, "/customers?q=312.555.0142")
            #expect(page.status == .ok)
            #expect(page.body.string.contains(#"href="/customers/\#(world.rideCustomer.id!)""#))
            #expect(page.body.string.contains("John Miller"))
            let nobody = try await browser.get(app, "/customers?q=Alice")
            #expect(nobody.body.string.contains("Nobody matches"))
        }
    }

    @Test func customerPageShowsDetailsAndContactsNewestFirst() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            for (day, reason) in [(3, "Book a ride"), (9, "Cancel a ride"), (6, "Where is my ride?")] {
                let response = try await app.send(
                    .POST, "/api/v1/contacts", token: world.rep.token,
                    json: """
                        {"program":"RIDE","customerId":"\(world.rideCustomer.id!)","channel":"voice","direction":"inbound",
                         "from":"3125550142","to":"3125550100","arrivedAt":"2026-11-0\(day)T15:00:00Z","reason":"\(reason)"}
                        """)
                #expect(response.status == .created)
            }
            var browser = try await BrowserSession.start(app, email: "rep@test.example")
            let page = try await browser.get(app, "/customers/\(world.rideCustomer.id!)")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains(#"title="+13125550142">(312) 555-0142"#))
            #expect(html.contains("john.miller@example.com"))
            let order = ["Cancel a ride", "Where is my ride?", "Book a ride"].compactMap {
                html.range(of: $0)?.lowerBound
            }
            #expect(order.count == 3)
            #expect(order == order.sorted())
            // Times are shown in the program's zone: 15:00Z is 09:00 in Chicago in November.
            #expect(html.contains("9 Nov 2026, 09:00"))
        }
    }

    @Test func errorsRenderAsPagesWithTheRealStatus() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var browser = try await BrowserSession.start(app, email: "rep@test.example")
            let other = try await browser.get(app, "/customers/\(world.helpCustomer.id!)")
            #expect(other.status == .notFound)
            #expect(other.headers.contentType == .html)
            #expect(other.body.string.contains("Not found"))
            let missing = try await browser.get(app, "/no/such/page")
            #expect(missing.status == .notFound)
            #expect(missing.body.string.contains("<html"))
            let forbidden = try await browser.get(app, "/admin/users")
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.body.string.contains("needs the admin role"))
        }
    }

    @Test func stylesheetAndScriptAreServedWithoutSigningIn() async throws {
        try await withApp { app in
            let css = try await app.send(.GET, "/css/daymaker.css")
            #expect(css.status == .ok)
            #expect(css.headers.contentType == .css)
            let js = try await app.send(.GET, "/js/daymaker.js")
            #expect(js.status == .ok)
            #expect(js.body.string.contains("addEventListener"))
            #expect(try await app.send(.GET, "/css/other.css").status == .notFound)
            #expect(try await app.send(.GET, "/js/.").status == .notFound)
            let escape = try await app.send(.GET, "/css/../Package.swift")
            #expect(escape.status != .ok)
            #expect(!escape.body.string.contains("swift-tools-version"))
        }
    }

    @Test func adminCreatesAUserThroughTheForm() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            var admin = try await BrowserSession.start(app, email: "admin@test.example")
            _ = try await admin.get(app, "/admin/users")
            let bad = try await admin.post(
                app, "/admin/users", form: ["email": "x", "fullName": "", "role": "rep", "password": "short"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("is not an email address"))
            let good = try await admin.post(
                app, "/admin/users",
                form: [
                    "email": "lee@test.example", "fullName": "Lee Park", "role": "rep", "password": "long enough pw",
                    "programs": "RIDE",
                ])
            #expect(good.status == .seeOther)
            let lee = try #require(
                try await User.query(on: app.db).filter(\.$email == "lee@test.example").with(\.$programs).first())
            #expect(lee.programs.map(\.code) == ["RIDE"])
        }
    }

    @Test func adminCreatesATokenShownOnce() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            var admin = try await BrowserSession.start(app, email: "admin@test.example")
            _ = try await admin.get(app, "/admin/tokens")
            let response = try await admin.post(
                app, "/admin/tokens", form: ["user": "rep@test.example", "name": "PBX", "scopes": "read telephony"])
            #expect(response.status == .created)
            let html = response.body.string
            let start = try #require(html.range(of: #"<code id="new-token">"#))
            let token = String(html[start.upperBound...].prefix { $0 != "<" })
            #expect(token.hasPrefix("dmk_"))
            #expect(try await app.send(.GET, "/api/v1/me", token: token).status == .ok)
            let list = try await admin.get(app, "/admin/tokens")
            #expect(!list.body.string.contains(token))
        }
    }
}
