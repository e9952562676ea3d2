//! Specificity of examples: how much of what the candidate said is concrete — numbers, named
//! technologies, concrete outcomes — measured deterministically from the candidate's turns.
//!
//! The text of each candidate turn is folded the way detectors see it (lower case, no apostrophes,
//! see [`crate::text::NormalizedText`]) and split into words (maximal runs of letters and digits).
//! Then, counting every occurrence:
//!
//! - a **number** is a word that contains an ASCII digit (`40`, `200ms`, `p99`, `2019`; `2.5` and
//!   `1,000` are one number) and is not a technology name (`s3`, `k8s`), or one of the magnitude
//!   words in [`MAGNITUDE_WORDS`] not directly after a number (`30 percent` is one number);
//! - a **named technology** is an entry of [`TECHNOLOGIES`] (matched on whole words, longest first:
//!   "google cloud" is one, and "node.js" folds to the words of `node js`);
//! - a **concrete outcome** is an entry of [`OUTCOMES`] ("reduced", "went from", "resulted in").
//!
//! `per_100_words` = (numbers + technologies + outcomes) × 100 / candidate words, rounded to two
//! decimals: the tracked "specificity of examples" dimension. Words are counted like the metrics
//! count them, so a long answer needs more specifics to keep the same density. The lists are
//! deliberately short and unambiguous ("go" and "rest" are left out because they are common words);
//! this is a transparent proxy for a coach's judgement, not a replacement for it.

use std::collections::HashMap;

use foldhash::fast::FixedState;
use serde::{Deserialize, Serialize};

use crate::text::NormalizedText;
use crate::transcript::{Role, Transcript};

/// Words that state a quantity without digits.
pub const MAGNITUDE_WORDS: &[&str] =
    &["percent", "dozen", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions"];

/// Named technologies (languages, datastores, platforms, protocols, tools), as folded words.
pub const TECHNOLOGIES: &[&str] = &[
    // Languages.
    "python",
    "java",
    "javascript",
    "typescript",
    "golang",
    "rust",
    "kotlin",
    "swift",
    "scala",
    "ruby",
    "php",
    "perl",
    "haskell",
    "elixir",
    "erlang",
    "clojure",
    "sql",
    "bash",
    "cpp",
    "csharp",
    "objective c",
    // Datastores and search.
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "sqlite",
    "oracle",
    "sql server",
    "mongodb",
    "mongo",
    "cassandra",
    "dynamodb",
    "redis",
    "memcached",
    "elasticsearch",
    "opensearch",
    "solr",
    "bigquery",
    "snowflake",
    "redshift",
    "clickhouse",
    "cockroachdb",
    "spanner",
    "bigtable",
    "hbase",
    "neo4j",
    "couchbase",
    "influxdb",
    "timescaledb",
    "druid",
    "pinecone",
    "s3",
    "gcs",
    "hdfs",
    "rocksdb",
    "leveldb",
    "etcd",
    "zookeeper",
    // Messaging and streaming.
    "kafka",
    "rabbitmq",
    "sqs",
    "sns",
    "kinesis",
    "pubsub",
    "pub sub",
    "nats",
    "zeromq",
    "pulsar",
    "celery",
    "sidekiq",
    "flink",
    "spark",
    "hadoop",
    "airflow",
    "dbt",
    "beam",
    // Platforms and infrastructure.
    "aws",
    "gcp",
    "google cloud",
    "azure",
    "ec2",
    "ecs",
    "eks",
    "lambda",
    "cloudfront",
    "cloudflare",
    "fastly",
    "akamai",
    "heroku",
    "vercel",
    "kubernetes",
    "k8s",
    "docker",
    "terraform",
    "ansible",
    "helm",
    "istio",
    "envoy",
    "nginx",
    "haproxy",
    "linux",
    "consul",
    "vault",
    // Protocols and formats.
    "http",
    "https",
    "http2",
    "grpc",
    "graphql",
    "websocket",
    "websockets",
    "tcp",
    "udp",
    "quic",
    "dns",
    "oauth",
    "jwt",
    "tls",
    "ssl",
    "json",
    "protobuf",
    "avro",
    "parquet",
    "yaml",
    "xml",
    "webrtc",
    "mqtt",
    "smtp",
    // Frameworks and libraries.
    "react",
    "angular",
    "vue",
    "svelte",
    "django",
    "flask",
    "fastapi",
    "rails",
    "spring",
    "spring boot",
    "node",
    "nodejs",
    "node js",
    "express js",
    "nextjs",
    "next js",
    "graphene",
    "pandas",
    "numpy",
    "pytorch",
    "tensorflow",
    "sqlalchemy",
    "hibernate",
    "kotlin coroutines",
    "tokio",
    "asyncio",
    // Tools and observability.
    "git",
    "github",
    "gitlab",
    "bitbucket",
    "jenkins",
    "circleci",
    "github actions",
    "datadog",
    "prometheus",
    "grafana",
    "splunk",
    "sentry",
    "pagerduty",
    "opentelemetry",
    "jaeger",
    "kibana",
    "new relic",
    "jira",
    "bazel",
    "gradle",
    "maven",
    "webpack",
    "jest",
    "pytest",
    "junit",
    "selenium",
    "cypress",
    "playwright",
    "stripe",
    "twilio",
    "salesforce",
    "snowplow",
    "segment io",
    "looker",
    "tableau",
];

/// Phrases that report a concrete result, as folded words.
pub const OUTCOMES: &[&str] = &[
    "reduced",
    "reducing",
    "lowered",
    "decreased",
    "increased",
    "improved",
    "boosted",
    "doubled",
    "tripled",
    "halved",
    "saved",
    "shipped",
    "launched",
    "delivered",
    "grew",
    "eliminated",
    "prevented",
    "sped up",
    "speeds up",
    "cut down",
    "cut it",
    "cut the",
    "brought down",
    "went from",
    "went down",
    "went up",
    "down from",
    "up from",
    "dropped from",
    "resulted in",
    "resulting in",
    "led to",
    "which meant",
    "so that we",
    "in production",
    "rolled out",
    "migrated",
    "automated",
    "on time",
    "under budget",
];

/// How concrete the candidate's answers were in one transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Specificity {
    /// Words spoken by the candidate.
    pub candidate_words: usize,
    pub numbers: usize,
    pub technologies: usize,
    pub outcomes: usize,
    /// (numbers + technologies + outcomes) per 100 candidate words; `None` with no candidate words.
    pub per_100_words: Option<f64>,
    /// Answers (runs of consecutive candidate turns) and how many of them had at least one specific.
    pub answers: usize,
    pub answers_with_specifics: usize,
    /// The technologies named, each once, in order of first mention (folded form).
    pub named_technologies: Vec<String>,
}

impl Specificity {
    /// Measures the candidate's turns of `transcript`.
    ///
    /// ```
    /// use rubric_core::{specificity::Specificity, Transcript};
    ///
    /// let transcript = Transcript::from_json(r#"{"turns": [
    ///     {"role": "interviewer", "text": "What did you change?"},
    ///     {"role": "candidate", "text": "We moved the queue to Kafka and reduced p99 latency from 2.5 s to 300 ms."}
    /// ]}"#).unwrap();
    /// let s = Specificity::measure(&transcript);
    /// assert_eq!((s.numbers, s.technologies, s.outcomes), (3, 1, 1)); // p99, 2.5, 300; kafka; reduced
    /// assert_eq!(s.per_100_words, Some(29.41)); // 5 specifics in 17 words ("2.5" is two words)
    /// ```
    pub fn measure(transcript: &Transcript) -> Specificity {
        let lexicon = Lexicon::new();
        let mut result = Specificity {
            candidate_words: 0,
            numbers: 0,
            technologies: 0,
            outcomes: 0,
            per_100_words: None,
            answers: 0,
            answers_with_specifics: 0,
            named_technologies: Vec::new(),
        };
        let mut answer_open = false;
        let mut answer_has_specifics = false;
        for turn in transcript.turns() {
            match turn.role {
                Role::Interviewer => {
                    if answer_open {
                        result.answers_with_specifics += usize::from(answer_has_specifics);
                    }
                    answer_open = false;
                }
                Role::Observer => {}
                Role::Candidate => {
                    if !answer_open {
                        result.answers += 1;
                        answer_open = true;
                        answer_has_specifics = false;
                    }
                    let counts = lexicon.count(&turn.text, &mut result.named_technologies);
                    result.candidate_words += counts.words;
                    result.numbers += counts.numbers;
                    result.technologies += counts.technologies;
                    result.outcomes += counts.outcomes;
                    answer_has_specifics |= counts.numbers + counts.technologies + counts.outcomes > 0;
                }
            }
        }
        if answer_open {
            result.answers_with_specifics += usize::from(answer_has_specifics);
        }
        let specifics = result.numbers + result.technologies + result.outcomes;
        result.per_100_words =
            (result.candidate_words > 0).then(|| round2(specifics as f64 * 100.0 / result.candidate_words as f64));
        result
    }

    /// All specifics counted.
    pub fn total(&self) -> usize {
        self.numbers + self.technologies + self.outcomes
    }
}

/// Numbers, named technologies and concrete outcomes in one turn's text, for the vagueness measure
/// of an answer.
pub(crate) fn specifics_in(text: &str) -> usize {
    static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
    let counts = LEXICON.get_or_init(Lexicon::new).count(text, &mut Vec::new());
    counts.numbers + counts.technologies + counts.outcomes
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    words: usize,
    numbers: usize,
    technologies: usize,
    outcomes: usize,
}

/// The phrase lists split into words, longest phrases first.
struct Lexicon {
    technologies: PhraseIndex,
    outcomes: PhraseIndex,
}

impl Lexicon {
    fn new() -> Self {
        Self { technologies: PhraseIndex::new(TECHNOLOGIES), outcomes: PhraseIndex::new(OUTCOMES) }
    }

    fn count(&self, text: &str, named: &mut Vec<String>) -> Counts {
        let folded = NormalizedText::new(text);
        let folded = folded.as_str();
        let words = words_with_numbers(folded);
        let mut counts = Counts { words: words.iter().map(|w| w.words).sum(), ..Counts::default() };
        let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
        let mut i = 0;
        while i < texts.len() {
            let word = texts[i];
            // Technology names that contain digits ("s3", "ec2", "k8s") are technologies, not numbers.
            if word.bytes().any(|b| b.is_ascii_digit()) && !self.technologies.has_word(word) {
                counts.numbers += 1;
                i += 1;
                continue;
            }
            // "30 percent" is one number; "a few hundred" is one too.
            let after_number = i > 0 && texts[i - 1].bytes().any(|b| b.is_ascii_digit());
            if MAGNITUDE_WORDS.contains(&word) {
                counts.numbers += usize::from(!after_number);
                i += 1;
                continue;
            }
            if let Some(len) = self.technologies.longest_match(&texts[i..]) {
                counts.technologies += 1;
                let name = texts[i..i + len].join(" ");
                if !named.contains(&name) {
                    named.push(name);
                }
                i += len;
                continue;
            }
            if let Some(len) = self.outcomes.longest_match(&texts[i..]) {
                counts.outcomes += 1;
                i += len;
                continue;
            }
            i += 1;
        }
        counts
    }
}

/// Phrases of folded words by their first word, longest first, so that finding the phrase that
/// starts at a word is one lookup: a scan of every phrase at every word was half the cost of
/// scoring a long transcript with hedged answers (each is checked for specifics).
struct PhraseIndex(HashMap<&'static str, Vec<Vec<&'static str>>, FixedState>);

impl PhraseIndex {
    fn new(list: &[&'static str]) -> Self {
        let mut index: HashMap<&'static str, Vec<Vec<&'static str>>, FixedState> = HashMap::default();
        for phrase in list {
            let words: Vec<&'static str> = phrase.split(' ').collect();
            index.entry(words[0]).or_default().push(words);
        }
        for phrases in index.values_mut() {
            phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        }
        Self(index)
    }

    /// The length in words of the longest phrase that `words` starts with.
    fn longest_match(&self, words: &[&str]) -> Option<usize> {
        let phrases = self.0.get(words.first()?)?;
        phrases.iter().find(|p| p.len() <= words.len() && p.iter().zip(words).all(|(a, b)| a == b)).map(Vec::len)
    }

    /// Whether `word` is a phrase by itself.
    fn has_word(&self, word: &str) -> bool {
        self.0.get(word).is_some_and(|phrases| phrases.iter().any(|p| p.len() == 1))
    }
}

struct Word<'a> {
    text: &'a str,
    /// How many metric words this token stands for ("2.5" is one number but two metric words).
    words: usize,
}

/// Words of folded text; digit runs joined by a single `.` or `,` are one token ("2.5", "1,000").
fn words_with_numbers(text: &str) -> Vec<Word<'_>> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (crate::text::is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    let mut words: Vec<Word<'_>> = Vec::with_capacity(spans.len());
    let mut merged_from: Option<usize> = None;
    for (index, &(s, e)) in spans.iter().enumerate() {
        let joins_previous = index > 0 && {
            let (_, previous_end) = spans[index - 1];
            let between = &text[previous_end..s];
            (between == "." || between == ",")
                && text[..previous_end].ends_with(|c: char| c.is_ascii_digit())
                && text[s..e].starts_with(|c: char| c.is_ascii_digit())
        };
        if joins_previous {
            let first = merged_from.unwrap_or(index - 1);
            let last = words.last_mut().expect("a previous word exists");
            last.text = &text[spans[first].0..e];
            last.words += 1;
            merged_from = Some(first);
        } else {
            words.push(Word { text: &text[s..e], words: 1 });
            merged_from = None;
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Transcript;

    fn measure(candidate_turns: &[&str]) -> Specificity {
        let turns: Vec<String> = candidate_turns
            .iter()
            .map(|t| {
                format!(
                    r#"{{"role": "interviewer", "text": "Go on."}}, {{"role": "candidate", "text": {}}}"#,
                    serde_json::to_string(t).unwrap()
                )
            })
            .collect();
        let json = format!(r#"{{"turns": [{}]}}"#, turns.join(","));
        Specificity::measure(&Transcript::from_json(&json).unwrap())
    }

    #[test]
    fn counts_numbers_technologies_and_outcomes() {
        // (text, numbers, technologies, outcomes)
        let table: &[(&str, usize, usize, usize)] = &[
            ("We cut the bill by 40% in 2019.", 2, 0, 1),
            ("It handled 1,000 requests at 2.5 ms p99.", 3, 0, 0),
            ("Thousands of users, a few hundred servers.", 2, 0, 0),
            ("We used Node.js with Postgres on AWS and S3.", 0, 4, 0),
            ("I moved it to Google Cloud and Kubernetes.", 0, 2, 0),
            ("That resulted in fewer pages and it went from five to one.", 0, 0, 2),
            ("I think it was fine, we talked about it.", 0, 0, 0),
            ("Let's go, rest of the team agreed.", 0, 0, 0),
            ("We shipped it on time on EC2 and k8s.", 0, 2, 2),
        ];
        for (text, numbers, technologies, outcomes) in table {
            let s = measure(&[text]);
            assert_eq!((s.numbers, s.technologies, s.outcomes), (*numbers, *technologies, *outcomes), "{text}");
        }
    }

    #[test]
    fn per_100_words_uses_metric_word_counts_and_answers_are_runs() {
        let s = measure(&["We reduced costs by 30 percent.", "I don't remember the details."]);
        // "We reduced costs by 30 percent" = 6 words, "I dont remember the details" = 5; "30 percent"
        // is one number.
        assert_eq!(s.candidate_words, 11);
        assert_eq!(s.total(), 2);
        assert_eq!(s.per_100_words, Some(18.18));
        assert_eq!((s.answers, s.answers_with_specifics), (2, 1));
        let s = measure(&["Version 2.5 shipped."]);
        assert_eq!(s.candidate_words, 4, "2.5 is two metric words but one number");
        assert_eq!(s.numbers, 1);
    }

    #[test]
    fn names_each_technology_once_in_order() {
        let s = measure(&["Redis in front of Postgres, then more Redis and Kafka."]);
        assert_eq!(s.named_technologies, ["redis", "postgres", "kafka"]);
        assert_eq!(s.technologies, 4);
    }

    #[test]
    fn no_candidate_words_is_not_measurable() {
        let t = Transcript::from_json(r#"{"turns": [{"role": "interviewer", "text": "Hello?"}]}"#).unwrap();
        let s = Specificity::measure(&t);
        assert_eq!(s.per_100_words, None);
        assert_eq!(s.answers, 0);
    }
}
