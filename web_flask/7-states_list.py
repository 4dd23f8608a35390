"""Step 7: /states_list, the states sorted by name."""
from web_flask.factory import create_app, run
from web_flask.storage_routes import states_list

app = create_app(states_list)

if __name__ == "__main__":
    run(app)
