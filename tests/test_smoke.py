def test_start_page__anonymous__lists_demo_areas(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    assert "Norrby" in response.content.decode()
