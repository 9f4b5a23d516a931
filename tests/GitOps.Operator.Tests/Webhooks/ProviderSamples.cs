namespace GitOps.Operator.Tests.Webhooks;

/// <summary>
/// Push payloads as each provider documents them (field names and nesting as in the providers'
/// own examples: GitHub "Webhook events and payloads" push; GitLab "Webhook events" push event;
/// Bitbucket Cloud "Event payloads" repo:push; Gitea "Webhooks" push example), shortened to the
/// fields a receiver may read plus a few neighbours. {URL} is replaced by a test's repository URL.
/// </summary>
internal static class ProviderSamples
{
    public const string GitHubPush = """
        {
          "ref": "refs/heads/main",
          "before": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
          "after": "0000000000000000000000000000000000000001",
          "created": false,
          "deleted": false,
          "forced": false,
          "base_ref": null,
          "compare": "https://github.com/Codertocat/Hello-World/compare/6113728f27ae...000000000000",
          "commits": [],
          "head_commit": null,
          "repository": {
            "id": 186853002,
            "node_id": "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=",
            "name": "Hello-World",
            "full_name": "Codertocat/Hello-World",
            "private": false,
            "owner": { "name": "Codertocat", "login": "Codertocat", "id": 21031067 },
            "html_url": "https://github.com/Codertocat/Hello-World",
            "url": "https://github.com/Codertocat/Hello-World",
            "git_url": "git://github.com/Codertocat/Hello-World.git",
            "ssh_url": "git@github.com:Codertocat/Hello-World.git",
            "clone_url": "https://github.com/Codertocat/Hello-World.git",
            "default_branch": "main",
            "master_branch": "main"
          },
          "pusher": { "name": "Codertocat", "email": "21031067+Codertocat@users.noreply.github.com" },
          "sender": { "login": "Codertocat", "id": 21031067, "type": "User" }
        }
        """;

    public const string GitHubPing = """
        {
          "zen": "Encourage flow.",
          "hook_id": 2472869,
          "hook": { "type": "Repository", "id": 2472869, "name": "web", "active": true, "events": ["push"],
                    "config": { "content_type": "json", "insecure_ssl": "0", "url": "https://gitops.example.com/api/webhook" } },
          "repository": { "full_name": "Codertocat/Hello-World", "clone_url": "https://github.com/Codertocat/Hello-World.git" }
        }
        """;

    public const string GitLabPush = """
        {
          "object_kind": "push",
          "event_name": "push",
          "before": "95790bf891e76fee5e1747ab589903a6a1f80f22",
          "after": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "ref": "refs/heads/main",
          "ref_protected": true,
          "checkout_sha": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "user_id": 4,
          "user_name": "John Smith",
          "user_username": "jsmith",
          "project_id": 15,
          "project": {
            "id": 15,
            "name": "Diaspora",
            "description": "",
            "web_url": "http://example.com/mike/diaspora",
            "git_ssh_url": "git@example.com:mike/diaspora.git",
            "git_http_url": "http://example.com/mike/diaspora.git",
            "namespace": "Mike",
            "visibility_level": 0,
            "path_with_namespace": "mike/diaspora",
            "default_branch": "main",
            "homepage": "http://example.com/mike/diaspora",
            "url": "git@example.com:mike/diaspora.git",
            "ssh_url": "git@example.com:mike/diaspora.git",
            "http_url": "http://example.com/mike/diaspora.git"
          },
          "repository": {
            "name": "Diaspora",
            "url": "git@example.com:mike/diaspora.git",
            "description": "",
            "homepage": "http://example.com/mike/diaspora",
            "git_http_url": "http://example.com/mike/diaspora.git",
            "git_ssh_url": "git@example.com:mike/diaspora.git",
            "visibility_level": 0
          },
          "commits": [],
          "total_commits_count": 0
        }
        """;

    public const string BitbucketPush = """
        {
          "actor": { "type": "user", "display_name": "Emma", "uuid": "{b5e5e5e5-0000-0000-0000-000000000000}" },
          "repository": {
            "type": "repository",
            "name": "config",
            "full_name": "team_name/config",
            "uuid": "{a0b0c0d0-0000-0000-0000-000000000000}",
            "is_private": true,
            "links": {
              "self": { "href": "https://api.bitbucket.org/2.0/repositories/team_name/config" },
              "html": { "href": "https://bitbucket.org/team_name/config" },
              "avatar": { "href": "https://bytebucket.org/ravatar/%7Ba0b0c0d0%7D?ts=default" }
            },
            "scm": "git"
          },
          "push": {
            "changes": [
              {
                "new": {
                  "type": "branch",
                  "name": "main",
                  "target": { "type": "commit", "hash": "709d658dc5b6d6afcd46049c2f332ee3f515a67d", "message": "new commit" }
                },
                "old": {
                  "type": "branch",
                  "name": "main",
                  "target": { "type": "commit", "hash": "1e65c05c1d5171631d92438a13901ca7dae9618c" }
                },
                "created": false,
                "forced": false,
                "closed": false,
                "commits": [],
                "truncated": false
              }
            ]
          }
        }
        """;

    public const string GiteaPush = """
        {
          "ref": "refs/heads/develop",
          "before": "28e1879d029cb852e4844d9c718537df08844e03",
          "after": "bffeb74224043ba2feb48d137756c8a9331c449a",
          "compare_url": "http://localhost:3000/gitea/webhooks/compare/28e1879d029cb852e4844d9c718537df08844e03...bffeb74224043ba2feb48d137756c8a9331c449a",
          "commits": [
            {
              "id": "bffeb74224043ba2feb48d137756c8a9331c449a",
              "message": "Webhooks Yay!",
              "url": "http://localhost:3000/gitea/webhooks/commit/bffeb74224043ba2feb48d137756c8a9331c449a",
              "author": { "name": "Gitea", "email": "someone@gitea.io", "username": "gitea" },
              "committer": { "name": "Gitea", "email": "someone@gitea.io", "username": "gitea" },
              "timestamp": "2017-03-13T13:52:11-04:00"
            }
          ],
          "repository": {
            "id": 140,
            "owner": { "id": 1, "login": "gitea", "full_name": "Gitea", "email": "someone@gitea.io", "username": "gitea" },
            "name": "webhooks",
            "full_name": "gitea/webhooks",
            "description": "",
            "private": false,
            "fork": false,
            "html_url": "http://localhost:3000/gitea/webhooks",
            "ssh_url": "ssh://gitea@localhost:2222/gitea/webhooks.git",
            "clone_url": "http://localhost:3000/gitea/webhooks.git",
            "default_branch": "master"
          },
          "pusher": { "id": 1, "login": "gitea", "full_name": "Gitea", "email": "someone@gitea.io", "username": "gitea" },
          "sender": { "id": 1, "login": "gitea", "full_name": "Gitea", "email": "someone@gitea.io", "username": "gitea" }
        }
        """;

    public const string GenericPush = """
        { "repoURL": "https://git.example.com/org/config.git", "revision": "main" }
        """;
}
