use super::*;

fn parse(method: &str, path: &str, query: Option<&str>, body: &[u8]) -> ParsedRequest {
    parse_request(method, path, query, body).unwrap_or(ParsedRequest::Single(vec![]))
}

#[test]
fn utf8_commands_use_the_json_body() {
    let req = encode_single(&Command::new("SET").key("k").arg("v").arg("EX").arg(5))
        .unwrap_or_else(|_| encode_path_form(&Command::new("X")));
    assert_eq!(req.path, "/");
    assert_eq!(req.body, br#"["SET","k","v","EX","5"]"#);
    assert_eq!(
        parse("POST", &req.path, None, &req.body),
        ParsedRequest::Single(vec![
            b"SET".to_vec(),
            b"k".to_vec(),
            b"v".to_vec(),
            b"EX".to_vec(),
            b"5".to_vec()
        ])
    );
}

#[test]
fn json_bodies_are_what_serde_json_writes() {
    let texts = [
        "",
        "k",
        "with space",
        "quote\"",
        "back\\slash",
        "tab\tnew\nline",
        "\u{1}\u{1f}",
        "\u{7f}",
        "é",
        "😀",
        "</script>",
        "a/b",
    ];
    for (i, text) in texts.iter().enumerate() {
        let parts = ["SET", text, texts[(i + 1) % texts.len()]];
        let cmd = Command::new("SET").key(*text).arg(parts[2]);
        let single = encode_single(&cmd).map(|r| r.body).unwrap_or_default();
        assert_eq!(
            single,
            serde_json::to_vec(&parts).unwrap_or_default(),
            "{text:?}"
        );
        let batch = encode_batch(&[cmd.clone(), cmd], Endpoint::Pipeline)
            .map(|r| r.body)
            .unwrap_or_default();
        assert_eq!(
            batch,
            serde_json::to_vec(&[parts, parts]).unwrap_or_default()
        );
    }
}

#[test]
fn binary_value_goes_in_the_body_with_options_in_the_query() {
    let value: Vec<u8> = (0..=255u8).collect();
    let cmd = Command::new("SET")
        .key("k/1")
        .arg(value.clone())
        .arg("EX")
        .arg(5);
    let req = encode_path_form(&cmd);
    assert_eq!(req.path, "/SET/k%2F1?EX=5");
    assert_eq!(req.body, value);
    let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
    assert_eq!(
        parse("POST", path, Some(query), &req.body),
        ParsedRequest::Single(vec![
            b"SET".to_vec(),
            b"k/1".to_vec(),
            value,
            b"EX".to_vec(),
            b"5".to_vec()
        ])
    );
}

#[test]
fn several_binary_arguments_go_in_the_path() {
    let cmd = Command::new("MSET")
        .key(vec![0xffu8])
        .arg(vec![0xfeu8, b'/'])
        .key("x")
        .arg("");
    let req = encode_path_form(&cmd);
    assert!(req.body.is_empty());
    assert_eq!(
        parse("GET", &req.path, None, &req.body),
        ParsedRequest::Single(vec![
            b"MSET".to_vec(),
            vec![0xff],
            vec![0xfe, b'/'],
            b"x".to_vec(),
            vec![]
        ])
    );
}

#[test]
fn numbers_and_any_case_are_accepted() {
    assert_eq!(
        parse("POST", "/", None, br#"["set","k","v","ex",10]"#),
        ParsedRequest::Single(vec![
            b"set".to_vec(),
            b"k".to_vec(),
            b"v".to_vec(),
            b"ex".to_vec(),
            b"10".to_vec()
        ])
    );
}

#[test]
fn booleans_and_numbers_keep_their_text() {
    assert_eq!(
        parse(
            "POST",
            "/",
            None,
            br#"["SET","k",12345678901234567890123, true, false, -1.50e+3, 0.1]"#
        ),
        ParsedRequest::Single(
            [
                "SET",
                "k",
                "12345678901234567890123",
                "true",
                "false",
                "-1.50e+3",
                "0.1"
            ]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect()
        )
    );
    assert_eq!(
        parse("POST", "/", None, br#"["SET","k\u00e9\n","v"]"#),
        ParsedRequest::Single(vec![
            b"SET".to_vec(),
            "k\u{e9}\n".as_bytes().to_vec(),
            b"v".to_vec()
        ])
    );
}

#[test]
fn batches_over_the_command_limit_are_refused() {
    let body = br#"[["PING"],["PING"],["PING"]]"#;
    assert!(parse_request_bounded("POST", "/pipeline", None, body, 3).is_ok());
    let err = parse_request_bounded("POST", "/multi-exec", None, body, 2);
    assert_eq!(
        err.map_err(|e| e.message),
        Err(TOO_MANY_COMMANDS.to_owned())
    );
}

#[test]
fn malformed_requests_are_refused() {
    for body in [&b"{"[..], b"{}", b"[]", b"[[1]]", b"[null]", b"[\"a\",{}]"] {
        let err = parse_request("POST", "/", None, body);
        assert!(
            matches!(err, Err(RequestError { status: 400, .. })),
            "{body:?}"
        );
    }
    assert!(matches!(
        parse_request("DELETE", "/", None, b"[\"PING\"]"),
        Err(RequestError { status: 405, .. })
    ));
    assert!(parse_request("POST", "/pipeline", None, b"[]").is_err());
    assert!(parse_request("POST", "/pipeline", None, b"[\"GET\"]").is_err());
}

#[test]
fn token_query_parameter_is_not_an_argument() {
    assert_eq!(
        parse("GET", "/get/foo", Some("_token=abc"), b""),
        ParsedRequest::Single(vec![b"get".to_vec(), b"foo".to_vec()])
    );
}

fn round_trip(cmd: &Command) -> std::result::Result<ParsedRequest, RequestError> {
    let req = encode_single(cmd).unwrap();
    let (path, query) = match req.path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (req.path.as_str(), None),
    };
    parse_request("POST", path, query, &req.body)
}

#[test]
fn path_form_never_collides_with_batch_endpoints_or_the_token_parameter() {
    // `multi-exec` with one binary argument was found by the fuzz
    // target's round trip (fuzz/regressions/request_parser/); the
    // others are the same collision.
    for name in ["pipeline", "multi-exec"] {
        for args in [vec![vec![0xff]], vec![vec![], vec![0xff]]] {
            let cmd = Command::from_parts(name, args.clone());
            let mut parts = vec![name.as_bytes().to_vec()];
            parts.extend(args);
            assert_eq!(round_trip(&cmd), Ok(ParsedRequest::Single(parts)));
        }
    }
    let cmd = Command::from_parts(
        "SET",
        vec![b"k".to_vec(), vec![0xff], b"_token".to_vec(), b"x".to_vec()],
    );
    let parts: Vec<Vec<u8>> = cmd.to_parts().into_iter().map(<[u8]>::to_vec).collect();
    assert_eq!(round_trip(&cmd), Ok(ParsedRequest::Single(parts)));
}

#[test]
fn dot_segments_are_refused_not_mangled() {
    let cmd = Command::new("MSET")
        .key("..")
        .arg(vec![0xffu8])
        .key("b")
        .arg(vec![0xfeu8]);
    assert!(matches!(
        encode_single(&cmd),
        Err(Error::InvalidRequest { .. })
    ));
    // In the body or the query a dot is harmless.
    let cmd = Command::new("SET")
        .key("k")
        .arg(vec![0xffu8])
        .arg("..")
        .arg(".");
    assert!(encode_single(&cmd).is_ok());
    // UTF-8 commands use the JSON body: dots are fine there.
    assert!(encode_single(&Command::new("SET").key("..").arg(".")).is_ok());
}

#[test]
fn batches_refuse_binary_arguments() {
    let cmds = vec![Command::new("SET").key("k").arg(vec![0xffu8])];
    assert!(matches!(
        encode_batch(&cmds, Endpoint::Pipeline),
        Err(Error::InvalidRequest { .. })
    ));
}
