# The host's one reader of the lab file, for the Vagrantfile and the host scripts.
#
#   ruby host/labfile.rb check              the lab file read and checked (errors name file and line)
#   ruby host/labfile.rb get KEY            a dotted key, e.g. network.lxc_bridge
#   ruby host/labfile.rb get-optional KEY   the same, or nothing when the lab file has no KEY
#   ruby host/labfile.rb builds PROVIDER    exit 0 when PROVIDER's boxes are built here (LXC, Docker)
#   ruby host/labfile.rb names | ips        one machine a line
#   ruby host/labfile.rb roles              "NAME ROLE,ROLE" a line
#   ruby host/labfile.rb front-ends         "NAME ADDRESS" of each load balancer
#   ruby host/labfile.rb waves              provisioning order: "NAME=STEP,STEP ..." a wave a line
#   ruby host/labfile.rb facts NAME         the JSON facts file of machine NAME
#   ruby host/labfile.rb provision NAME STEP[,STEP]   the shell that runs them on NAME
#   ruby host/labfile.rb mode               reference or practice (LAB_MODE, else the lab's own)
#   ruby host/labfile.rb path | prefix      the lab file in use; the network's prefix length
#   ruby host/labfile.rb box PROVIDER       the box (image) of PROVIDER's machines on this host
#   ruby host/labfile.rb system PROVIDER    the system LXC or Docker machines are built from
#   ruby host/labfile.rb suite | image SYSTEM   a system's Debian suite, or its published image
#   ruby host/labfile.rb arch               the host's CPU architecture (amd64, arm64)
#   ruby host/labfile.rb relocate X.Y.Z BRIDGE   the lab file moved to X.Y.Z.0/24 and BRIDGE
require "fileutils"
require "json"
require "rbconfig"
require "securerandom"
require "shellwords"
require "yaml"

module LabFile
  ROOT = File.expand_path("..", __dir__)
  MODES = %w[reference practice].freeze
  # Built virtual environments, shared with the host's .cache/venv (writable).
  GUEST_VENV_CACHE = "/var/cache/hbnb-lab/venv".freeze

  # The lab file in use: LAB_FILE (relative to the repository root or absolute).
  def self.path
    File.expand_path(ENV.fetch("LAB_FILE", "lab.yml"), ROOT)
  end

  def self.load(file = path)
    raise "hbnb-lab: lab file #{file} not found (LAB_FILE)" unless File.file?(file)

    begin
      data = YAML.safe_load(File.read(file), filename: file)
    rescue Psych::SyntaxError => e
      raise "hbnb-lab: #{file}: line #{e.line} column #{e.column}: #{e.problem} #{e.context}".strip
    end
    check(data, file)
    data.merge("apps" => exercise_pack(data)["apps"], "reserved_ports" => exercise_pack(data)["reserved_ports"] || [])
  end

  # The exercise pack the reference lab answers (lab.yml exercise.id): its apps,
  # ports and files are the pack's (exercises/<id>/exercise.yml), read here once.
  def self.exercise_pack(data)
    @packs ||= {}
    id = data.dig("exercise", "id").to_s
    @packs[id] ||= begin
      file = File.join(ROOT, "exercises", id, "exercise.yml")
      raise "hbnb-lab: #{path}: exercise.id #{id.inspect} has no pack (#{file})" unless File.file?(file)

      pack = YAML.safe_load(File.read(file), filename: file)
      (pack["apps"] || []).each do |a|
        %w[name module port workers unit].each do |key|
          raise "hbnb-lab: #{file}: app #{a["name"] || "?"} lacks '#{key}'" if a[key].nil?
        end
      end
      pack
    end
  end

  # What the provisioners need of the exercise: its pack (exercises/<id>/ of the
  # project they run from), its sites, its unit (and the app it runs), its reload
  # script, where the lab enables the active site.
  def self.exercise_facts(data)
    pack = exercise_pack(data)
    files = pack["files"] || {}
    unit = files.find { |_, f| f["kind"] == "systemd-unit" }&.first
    script = files.find { |_, f| f["kind"] == "bash-script" }&.first
    {
      "id" => pack["id"],
      "sites" => files.select { |_, f| f["kind"] == "nginx-site" }.keys,
      "active_site" => data["exercise"]["active_site"], "enabled_as" => data["exercise"]["enabled_as"],
      "unit" => unit, "app" => (pack["apps"] || []).find { |a| a["unit"] == unit }&.fetch("name"),
      "reload_script" => script,
      "reload_place" => script && files[script]["place"].gsub("{home}", data["reference"]["root"]),
    }
  end

  # Stops early, naming the file, when a fact the lab needs is missing.
  def self.check(data, file)
    %w[facts_file project_dir network boxes systems roles machines database exercise load_balancer reference].each do |key|
      raise "hbnb-lab: #{file}: missing '#{key}'" unless data.is_a?(Hash) && data[key]
    end
    data["machines"].each do |m|
      %w[name roles ip memory cpus].each do |key|
        raise "hbnb-lab: #{file}: machine #{m["name"] || "?"} lacks '#{key}'" if m[key].nil?
      end
      unknown = m["roles"] - data["roles"].keys
      raise "hbnb-lab: #{file}: machine #{m["name"]} has unknown roles #{unknown.join(", ")}" unless unknown.empty?
    end
    practice_user = data.dig("practice", "database", "user")
    if practice_user && practice_user != data["database"]["user"]
      raise "hbnb-lab: #{file}: practice.database.user (#{practice_user}) is not database.user (#{data["database"]["user"]})"
    end
    names = data["machines"].map { |m| m["name"] }
    dup = names.find { |n| names.count(n) > 1 }
    raise "hbnb-lab: #{file}: machine #{dup} defined twice" if dup
  end

  # The host's CPU architecture, as boxes and Debian name it.
  def self.arch
    cpu = ENV.fetch("LAB_ARCH", "") # (for a lab file check: the other architecture's box)
    cpu = RbConfig::CONFIG["host_cpu"] if cpu.empty?
    case cpu
    when "x86_64", "amd64" then "amd64"
    when "aarch64", "arm64" then "arm64"
    else raise "hbnb-lab: CPU architecture #{cpu} has no box (amd64 and arm64 do)"
    end
  end

  # The system PROVIDER's machines are built from (LXC, Docker): LAB_SYSTEM (`make
  # up` keeps it for the next runs, as the mode), else the one this lab's PROVIDER
  # machines were made with (kept per provider: an attempt with another provider
  # changes nothing), else the provider's default in the lab file.
  def self.system(data, provider)
    entry = data["boxes"].fetch(provider) { raise "hbnb-lab: #{path}: no boxes.#{provider}" }
    name = ENV.fetch("LAB_SYSTEM", "")
    kept = File.join(state_dir, "system-#{provider}")
    name = File.read(kept).strip if name.empty? && File.file?(kept)
    name = entry["system"].to_s if name.empty?
    raise "hbnb-lab: #{path}: boxes.#{provider} takes published boxes, not a system (LAB_SYSTEM)" if name.empty?
    unless data["systems"]&.key?(name)
      raise "hbnb-lab: system #{name} is not in #{path} (systems: #{data["systems"]&.keys&.join(", ")})"
    end

    name
  end

  # The box of PROVIDER's machines on this host: the published one for its CPU
  # architecture, or the one built here from its system (hbnb-lab/<system>).
  def self.box(data, provider)
    entry = data["boxes"].fetch(provider) { raise "hbnb-lab: #{path}: no boxes.#{provider}" }
    return "hbnb-lab/#{system(data, provider)}" if entry.key?("system")

    entry.fetch(arch) { raise "hbnb-lab: #{path}: boxes.#{provider} has no #{arch} box" }
  end

  def self.prefix_length(data)
    data["network"]["cidr"].split("/").fetch(1).to_i
  end

  # A fixed, locally administered MAC address for a machine's lab NIC, derived
  # from its address: LXC draws a new one at every start, and the host would keep
  # sending to the old one for up to 30 s after a reboot.
  def self.mac_address(ip)
    format("02:68:%02x:%02x:%02x:%02x", *ip.split(".").map(&:to_i))
  end

  def self.machine(data, name)
    data["machines"].find { |m| m["name"] == name } or raise "hbnb-lab: no machine #{name} in #{path}"
  end

  # The project's shared folders for a machine: the whole project for the roles
  # that deploy the application, only the provisioners for the others (lb-01
  # never sees the secrets under .vagrant/).
  def self.needs_project?(data, spec)
    spec["roles"].any? { |role| data["roles"].fetch(role, {})["runs_app"] }
  end

  # What a machine runs before its roles: common, and app where a role runs the application.
  def self.first_steps(data, spec)
    needs_project?(data, spec) ? %w[common app] : %w[common]
  end

  # The lab's state on the host, inside Vagrant's folder (never committed).
  def self.state_dir
    File.join(File.expand_path(ENV.fetch("VAGRANT_DOTFILE_PATH", ".vagrant"), ROOT), "hbnb-lab")
  end

  def self.secrets_dir
    File.join(state_dir, "secrets")
  end

  # The lab's mode: LAB_MODE when given (`make up` keeps it for the next runs),
  # else the one this lab was made in, else reference.
  def self.mode
    given = ENV.fetch("LAB_MODE", "")
    return given unless given.empty?

    kept = File.join(state_dir, "mode")
    File.file?(kept) ? File.read(kept).strip : "reference"
  end

  # Docker machines reached through ports on 127.0.0.1 (Docker Desktop's way; on
  # Linux with LAB_DOCKER_PORTS=1), as the lab was made: `make up` keeps the choice
  # until make destroy, since the ports are fixed when a container is created.
  def self.docker_ports?
    return ENV["LAB_DOCKER_PORTS"] == "1" if ENV.key?("LAB_DOCKER_PORTS")

    File.file?(File.join(state_dir, "docker-ports"))
  end

  # The secret NAME, made at its first use (mode 0600): its path on the host.
  def self.secret(name)
    dir = secrets_dir
    file = File.join(dir, name)
    unless File.size?(file)
      FileUtils.mkdir_p(File.dirname(dir))
      Dir.mkdir(dir, 0o700) unless File.directory?(dir)
      File.write("#{file}.new", "#{SecureRandom.urlsafe_base64(24)}\n", perm: 0o600)
      File.rename("#{file}.new", file)
    end
    file
  end

  # Where a machine with the project reads a host file of the project.
  def self.guest_path(data, host_file)
    relative = File.expand_path(host_file).delete_prefix("#{ROOT}/")
    raise "hbnb-lab: #{host_file} is outside the project: the machines cannot read it" if relative.start_with?("/")

    "#{data["project_dir"]}/#{relative}"
  end

  # The facts file of machine NAME: what its provisioners need of the lab, computed
  # here so no machine reads another machine's output.
  def self.facts(data, name, mode = self.mode)
    raise "hbnb-lab: LAB_MODE must be one of #{MODES.join(", ")}, not #{mode}" unless MODES.include?(mode)

    spec = machine(data, name)
    db = data["machines"].find { |m| m["roles"].include?("db") }
    database = data["database"].merge("address" => db ? db["ip"] : nil)
    if needs_project?(data, spec)
      database["password_file"] = guest_path(data, secret("db-password")) if mode == "reference"
      database["password"] = data.dig("practice", "database", "password") if mode == "practice"
    end
    {
      "lab_file" => File.basename(path),
      "mode" => mode,
      "machine" => spec.slice("name", "ip", "roles", "memory", "cpus"),
      "project_dir" => data["project_dir"],
      "venv_cache" => GUEST_VENV_CACHE,
      "network" => data["network"].slice("cidr").merge("prefix" => prefix_length(data)),
      "machines" => data["machines"].map { |m| m.slice("name", "ip", "roles") },
      "apps" => data["apps"],
      "reserved_ports" => Array(data["reserved_ports"]),
      "database" => database,
      "exercise" => exercise_facts(data),
      "load_balancer" => data["load_balancer"],
      "reference" => data["reference"],
      "practice" => (data["practice"] || {}).reject { |k, _| k == "database" }
                                            .merge("database" => data.dig("practice", "database")&.reject { |k, _| k == "password" }),
    }
  end

  # The shell that runs provisioners STEPS (common and roles) on machine NAME, as
  # root, from the shared project; the common step first writes the facts file.
  # Vagrant runs it (shell provisioners), and so does host/lab-up.sh over SSH.
  def self.provision_script(data, name, steps)
    facts_file = data["facts_file"].shellescape
    lines = ["set -e"]
    if steps.include?("common")
      json = JSON.generate(facts(data, name))
      lines << "install -d -m 700 #{File.dirname(data["facts_file"]).shellescape}"
      lines << "(umask 077; printf '%s\\n' #{json.shellescape} > #{facts_file}.new) && mv -f #{facts_file}.new #{facts_file}"
    end
    steps.each do |step|
      script = "#{data["project_dir"]}/provision/#{step}.sh"
      lines << "echo 'hbnb-lab: provisioner #{step}'"
      lines << "[ -f #{script} ] || { echo 'hbnb-lab: #{script} is missing (#{name}: provision/#{step}.sh)' >&2; exit 1; }"
      lines << "LAB_FACTS=#{facts_file} bash #{script}"
    end
    "#{lines.join("\n")}\n"
  end

  # Provisioning waves, from NEEDS: a role's wave comes after the waves of what it
  # needs; every machine's first steps go with the first. Each wave: [[machine,
  # [steps]], ...], machines side by side.
  def self.waves(data)
    roles = data["roles"]
    level = Hash.new do |memo, role|
      needs = roles.fetch(role) { raise "hbnb-lab: #{path}: roles has no #{role}" }.fetch("needs", [])
      memo[role] = needs.map { |need| memo[need] + 1 }.max || 0
    end
    roles.each_key { |role| level[role] }
    (0..level.values.max).map do |wave|
      data["machines"].filter_map do |m|
        steps = (wave.zero? ? first_steps(data, m) : []) + m["roles"].select { |role| level[role] == wave }
        [m["name"], steps] unless steps.empty?
      end
    end.reject(&:empty?)
  end

  # The lab file's text moved to another /24 (first three octets) and LXC bridge,
  # for a second lab beside the first (benchmarks, extra practice labs).
  def self.relocated(text, octets, bridge)
    base = YAML.safe_load(text)["network"]["cidr"].split(".")[0, 3].join(".")
    text.gsub("#{base}.", "#{octets}.").sub(/^(\s*lxc_bridge:\s*)\S+/) { "#{$1}#{bridge}" }
  end

  # Whether the lab file has a dotted key.
  def self.key?(data, key)
    node = data
    key.split(".").all? { |part| node.is_a?(Hash) && node.key?(part) && (node = node[part]; true) }
  end

  # A dotted key of the lab file, e.g. "network.lxc_bridge" or "boxes.lxc".
  def self.get(data, key)
    key.split(".").reduce(data) do |node, part|
      raise "hbnb-lab: no '#{key}' in #{path}" unless node.is_a?(Hash) && node.key?(part)

      node[part]
    end
  end
end

if $PROGRAM_NAME == __FILE__
  begin
    data = LabFile.load
    case ARGV[0]
    when "check" then nil
    when "get" then puts LabFile.get(data, ARGV.fetch(1))
    when "get-optional" then puts LabFile.get(data, ARGV.fetch(1)) if LabFile.key?(data, ARGV.fetch(1))
    when "builds" then exit(data["boxes"].fetch(ARGV.fetch(1), {}).key?("system") ? 0 : 1)
    when "names" then puts data["machines"].map { |m| m["name"] }
    when "ips" then puts data["machines"].map { |m| m["ip"] }
    when "roles" then data["machines"].each { |m| puts "#{m["name"]} #{m["roles"].join(",")}" }
    when "front-ends" then data["machines"].each { |m| puts "#{m["name"]} #{m["ip"]}" if m["roles"].include?("lb") }
    when "waves" then LabFile.waves(data).each { |wave| puts wave.map { |name, roles| "#{name}=#{roles.join(",")}" }.join(" ") }
    when "facts" then puts JSON.pretty_generate(LabFile.facts(data, ARGV.fetch(1)))
    when "provision" then print LabFile.provision_script(data, ARGV.fetch(1), ARGV.fetch(2).split(","))
    when "mode" then puts LabFile.mode
    when "path" then puts LabFile.path
    when "prefix" then puts LabFile.prefix_length(data)
    when "box" then puts LabFile.box(data, ARGV.fetch(1))
    when "system" then puts LabFile.system(data, ARGV.fetch(1))
    when "suite", "image"
      system = data["systems"].fetch(ARGV.fetch(1)) { raise "hbnb-lab: system #{ARGV[1]} is not in #{LabFile.path}" }
      puts system.fetch(ARGV[0]) { raise "hbnb-lab: system #{ARGV[1]} has no #{ARGV[0]} in #{LabFile.path}" }
    when "arch" then puts LabFile.arch
    when "relocate" then puts LabFile.relocated(File.read(LabFile.path), ARGV.fetch(1), ARGV.fetch(2))
    else
      warn "usage: #{$PROGRAM_NAME} check | get KEY | get-optional KEY | builds PROVIDER | names | ips | roles | front-ends | waves | facts NAME | provision NAME STEPS | mode | path | prefix | box PROVIDER | system PROVIDER | suite SYSTEM | image SYSTEM | arch | relocate X.Y.Z BRIDGE"
      exit 2
    end
  rescue RuntimeError, KeyError, Psych::Exception => e
    warn e.message
    exit 1
  end
end
