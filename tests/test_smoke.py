def test_login_page(client):
    r = client.get("/inloggen")
    assert r.status_code == 200
    assert "Inloggen" in r.get_data(as_text=True)
