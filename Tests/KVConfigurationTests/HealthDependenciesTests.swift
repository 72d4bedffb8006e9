import KVConfiguration
import Testing

@Suite struct HealthDependenciesTests {
    typealias Dependency = KVStoreConfiguration.Health.Dependency

    @Test func blockSequenceInFileParsesEachEntryWithItsDefaults() throws {
        let configuration = try load(
            yaml: """
                health:
                  timeout_seconds: 3
                  dependencies:
                    - name: upstream
                      url: http://10.0.0.5:8080/health
                      critical: true
                      timeout_seconds: 0.5
                      expected_status: 204
                    - name: cache.local
                      url: HTTP://cache:11211
                    - name: other
                      url: http://other/
                      timeout_seconds: ~
                """
        )
        #expect(
            configuration.health.dependencies == [
                Dependency(
                    name: "upstream", url: "http://10.0.0.5:8080/health", critical: true, timeoutSeconds: 0.5,
                    expectedStatus: 204
                ),
                Dependency(name: "cache.local", url: "HTTP://cache:11211"),
                Dependency(name: "other", url: "http://other/"),
            ]
        )
        let dependencies = configuration.health.dependencies
        #expect(dependencies.map(configuration.health.timeoutSeconds(for:)) == [0.5, 3, 3])
    }

    @Test func flowSequenceInFileParses() throws {
        let configuration = try load(
            yaml: "health:\n  dependencies: [{name: a, url: \"http://127.0.0.1:9/\"}, {name: b, url: \"http://b/\", critical: yes}]\n"
        )
        #expect(
            configuration.health.dependencies == [
                Dependency(name: "a", url: "http://127.0.0.1:9/"), Dependency(name: "b", url: "http://b/", critical: true),
            ]
        )
    }

    @Test func jsonTextInVariablesFlagsAndFileStringsParses() throws {
        let json = #"[{"name":"up","url":"http://127.0.0.1:9/"}]"#
        let expected = [Dependency(name: "up", url: "http://127.0.0.1:9/")]
        #expect(try load(environment: ["KVSTORE_HEALTH_DEPENDENCIES": json]).health.dependencies == expected)
        #expect(try load(overrides: ["health.dependencies": json]).health.dependencies == expected)
        #expect(try load(yaml: "health:\n  dependencies: '\(json)'\n").health.dependencies == expected)
        // Whitespace and line breaks inside the JSON are fine.
        let spaced = "[\n  {\"name\": \"up\", \"url\": \"http://127.0.0.1:9/\", \"expected_status\": 503}\n]\n"
        #expect(
            try load(environment: ["KVSTORE_HEALTH_DEPENDENCIES": spaced]).health.dependencies
                == [Dependency(name: "up", url: "http://127.0.0.1:9/", expectedStatus: 503)]
        )
    }

    @Test(arguments: ["", " ", "[]", "null"])
    func emptyTextMeansNoDependencies(text: String) throws {
        let configuration = try load(
            yaml: "health:\n  dependencies:\n    - {name: a, url: \"http://a/\"}\n",
            environment: ["KVSTORE_HEALTH_DEPENDENCIES": text]
        )
        #expect(configuration.health.dependencies == [])
    }

    @Test(arguments: ["health:\n  dependencies: []\n", "health:\n  dependencies:\n", "health:\n  dependencies: ~\n"])
    func emptyOrNullInFileMeansNoDependencies(yaml: String) throws {
        #expect(try load(yaml: yaml).health.dependencies == [])
    }

    @Test func unknownKeyInAnEntryNamesTheEntryTheLineAndTheAllowedKeys() throws {
        let yaml = """
            health:
              dependencies:
                - name: a
                  url: http://a/
                - name: b
                  url: http://b/
                - name: c
                  nmae: c
                  url: http://c/
            """
        #expect(
            try loadFailure(yaml: yaml)
                == "config file FILE, line 8: unknown key health.dependencies[2].nmae "
                + "(allowed keys in health.dependencies[2]: name, url, critical, timeout_seconds, expected_status)"
        )
        #expect(
            try loadFailure(environment: ["KVSTORE_HEALTH_DEPENDENCIES": #"[{"name":"a","url":"http://a/","crit":true}]"#])
                == "environment variable KVSTORE_HEALTH_DEPENDENCIES: unknown key health.dependencies[0].crit "
                + "(allowed keys in health.dependencies[0]: name, url, critical, timeout_seconds, expected_status)"
        )
    }

    @Test func missingRequiredKeysAreNamed() throws {
        #expect(
            try loadFailure(yaml: "health:\n  dependencies:\n    - name: a\n")
                == "config file FILE, line 3: missing key health.dependencies[0].url "
                + "(expected an http:// URL with a host, such as http://127.0.0.1:9000/health)"
        )
        #expect(
            try loadFailure(overrides: ["health.dependencies": #"[{"url":"http://a/"}]"#])
                == "command line: missing key health.dependencies[0].name (expected a name of 1 to 64 characters, "
                + "each a letter A-Z or a-z, a digit 0-9, '.', '_' or '-')"
        )
    }

    @Test func badValuesInAnEntryNameTheEntryKeyAndLine() throws {
        let entry = "health:\n  dependencies:\n    - name: a\n      url: "
        let expectedURL = "(expected an http:// URL with a host, such as http://127.0.0.1:9000/health)"
        for url in ["https://a/", "ftp://a/", "http://", "a:80", "http://a:70000/", "http://a b/"] {
            #expect(
                try loadFailure(yaml: entry + "'\(url)'\n")
                    == "config file FILE, line 4: invalid value \(url.debugDescription) for health.dependencies[0].url \(expectedURL)"
            )
        }
        #expect(
            try loadFailure(yaml: "health:\n  dependencies:\n    - name: a/b\n      url: http://a/\n")
                == "config file FILE, line 3: invalid value \"a/b\" for health.dependencies[0].name (expected a name of "
                + "1 to 64 characters, each a letter A-Z or a-z, a digit 0-9, '.', '_' or '-')"
        )
        #expect(
            try loadFailure(yaml: entry + "http://a/\n      expected_status: 600\n")
                == "config file FILE, line 5: invalid value \"600\" for health.dependencies[0].expected_status "
                + "(expected an integer from 100 to 599)"
        )
        #expect(
            try loadFailure(yaml: entry + "http://a/\n      timeout_seconds: 0\n")
                == "config file FILE, line 5: invalid value \"0\" for health.dependencies[0].timeout_seconds "
                + "(expected a number of seconds from 0.01 to 86400 (1 day))"
        )
        #expect(
            try loadFailure(yaml: entry + "http://a/\n      critical: sometimes\n")
                == "config file FILE, line 5: invalid value \"sometimes\" for health.dependencies[0].critical "
                + "(expected true or false)"
        )
        #expect(
            try loadFailure(yaml: entry + "{host: a}\n")
                == "config file FILE, line 4: invalid value a mapping for health.dependencies[0].url \(expectedURL)"
        )
    }

    @Test func duplicateNamesAreRejected() throws {
        #expect(
            try loadFailure(
                yaml: "health:\n  dependencies:\n    - {name: a, url: \"http://a/\"}\n    - {name: b, url: \"http://b/\"}\n"
                    + "    - name: a\n      url: http://c/\n"
            )
                == "config file FILE, line 5: invalid value \"a\" for health.dependencies[2].name "
                + "(expected a name no other dependency has; health.dependencies[0] has it)"
        )
    }

    @Test func entriesMustBeMappingsInAList() throws {
        let expected = "(expected a list of mappings, each with the keys name and url and optionally critical, "
            + "timeout_seconds and expected_status; JSON text in a variable or flag)"
        #expect(
            try loadFailure(yaml: "health:\n  dependencies:\n    - {name: a, url: \"http://a/\"}\n    - up\n")
                == "config file FILE, line 2: invalid value \"up\" for health.dependencies[1] "
                + "(expected a mapping with the keys name, url, critical, timeout_seconds, expected_status)"
        )
        #expect(
            try loadFailure(yaml: "health:\n  dependencies:\n    name: a\n    url: http://a/\n")
                == "config file FILE, line 2: invalid value a mapping for health.dependencies \(expected)"
        )
        #expect(
            try loadFailure(environment: ["KVSTORE_HEALTH_DEPENDENCIES": #"[{"name":"a""#])
                == #"environment variable KVSTORE_HEALTH_DEPENDENCIES: invalid value "[{\"name\":\"a\"" "#
                + "for health.dependencies \(expected)"
        )
        #expect(
            try loadFailure(overrides: ["health.dependencies": "upstream"])
                == "command line: invalid value \"upstream\" for health.dependencies \(expected)"
        )
    }
}
